package jmirage.launcher.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarLayerTest {

    @TempDir
    Path temp;

    @Test
    void theSameEntriesGiveTheSameBytesWhateverTheFilesTimesAndTheOrderOfAdding() throws IOException {
        Path a = Files.writeString(temp.resolve("a"), "alpha\n");
        Path b = Files.writeString(temp.resolve("b"), "beta".repeat(300));
        Path one = Files.createDirectory(temp.resolve("one"));
        Path two = Files.createDirectory(temp.resolve("two"));

        TarLayer.Blob first = new TarLayer(0).file("app/lib/a", a, false).file("app/bin/b", b, true).writeTo(one);
        Files.setLastModifiedTime(a, FileTime.fromMillis(123_456_789_000L));
        TarLayer.Blob second = new TarLayer(0).file("app/bin/b", b, true).file("app/lib/a", a, false).writeTo(two);

        assertEquals(first, second);
        String hex = first.digest().substring("sha256:".length());
        assertArrayEquals(Files.readAllBytes(one.resolve(hex)), Files.readAllBytes(two.resolve(hex)));
        assertEquals(first.size(), Files.size(one.resolve(hex)));
    }

    @Test
    void aDifferentContentGivesADifferentDigest() throws IOException {
        Path a = Files.writeString(temp.resolve("a"), "alpha\n");
        Path one = Files.createDirectory(temp.resolve("one"));
        TarLayer.Blob before = new TarLayer(0).file("a", a, false).writeTo(one);
        Files.writeString(a, "alphb\n");
        TarLayer.Blob after = new TarLayer(0).file("a", a, false).writeTo(one);
        assertNotEquals(before.digest(), after.digest());
        assertNotEquals(before.diffId(), after.diffId());
    }

    @Test
    void theArchiveHoldsParentsFirstWithTheirOwnersAndTheLayersTimeAndItsDiffIdIsTheDigestOfTheArchive() throws IOException {
        Path a = Files.writeString(temp.resolve("a"), "alpha\n");
        Path blobs = Files.createDirectory(temp.resolve("blobs"));
        TarLayer.Blob blob = new TarLayer(1_764_288_000L).directory("tmp", 01777, 0).directory("app/var", 0755, 65532)
                .file("app/bin/a", a, true).writeTo(blobs);

        byte[] gz = Files.readAllBytes(blobs.resolve(blob.digest().substring(7)));
        // RFC 1952 2.3: MTIME (bytes 4 to 7) zero, no FNAME flag
        assertArrayEquals(new byte[] {0, 0, 0, 0}, Arrays.copyOfRange(gz, 4, 8));
        assertEquals(0, gz[3]);
        byte[] tar;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(blobs.resolve(blob.digest().substring(7))))) {
            tar = in.readAllBytes();
        }
        var sha = TarLayer.sha256();
        sha.update(tar);
        assertEquals(blob.diffId(), "sha256:" + TarLayer.hex(sha));

        List<String> names = new ArrayList<>();
        List<String> modes = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        for (int at = 0; at + 512 <= tar.length; ) {
            String name = field(tar, at, 100);
            if (name.isEmpty()) {
                break;
            }
            names.add(name + " " + (char) tar[at + 156]);
            modes.add(field(tar, at + 100, 8));
            owners.add(field(tar, at + 108, 8) + ":" + field(tar, at + 116, 8));
            assertEquals(1_764_288_000L, Long.parseLong(field(tar, at + 136, 12), 8), "mtime of " + name);
            assertEquals(checksum(tar, at), Integer.parseInt(field(tar, at + 148, 6), 8), "checksum of " + name);
            long size = Long.parseLong(field(tar, at + 124, 12), 8);
            at += 512 + (int) ((size + 511) / 512 * 512);
        }
        assertEquals(List.of("app/ 5", "app/bin/ 5", "app/bin/a 0", "app/var/ 5", "tmp/ 5"), names);
        assertEquals(List.of("0000755", "0000755", "0000755", "0000755", "0001777"), modes);
        String root = "0000000:0000000";
        assertEquals(List.of(root, root, root, "0177774:0177774", root), owners);
        assertEquals(0, tar.length % 512);
    }

    @Test
    void aLongPathIsSplitAtASlashIntoPrefixAndName() {
        String path = "app/" + "d".repeat(90) + "/" + "f".repeat(60);
        byte[] header = TarLayer.header(path, 0644, 0, 0, 0, '0');
        assertEquals("f".repeat(60), field(header, 0, 100));
        assertEquals("app/" + "d".repeat(90), field(header, 345, 155));
        assertThrows(IllegalArgumentException.class, () -> TarLayer.header("x".repeat(101), 0644, 0, 0, 0, '0'));
    }

    @Test
    void anAbsolutePathIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TarLayer(0).file("/etc/passwd", temp, false));
    }

    private static String field(byte[] block, int offset, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = offset; i < offset + length && block[i] != 0; i++) {
            out.write(block[i]);
        }
        return out.toString(StandardCharsets.UTF_8).strip();
    }

    private static int checksum(byte[] tar, int at) {
        int sum = 0;
        for (int i = at; i < at + 512; i++) {
            sum += (i >= at + 148 && i < at + 156) ? ' ' : tar[i] & 0xff;
        }
        return sum;
    }
}
