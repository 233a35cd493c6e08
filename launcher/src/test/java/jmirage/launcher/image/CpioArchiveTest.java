package jmirage.launcher.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jmirage.launcher.image.CpioArchive.Entry;
import jmirage.testkit.Command;
import jmirage.testkit.Sh;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpioArchiveTest {

    private static final List<Entry> ENTRIES = List.of(
            new Entry.Directory("bin", 0755, 0),
            new Entry.File("bin/busybox", 0755, 0, "#!/bin/true\n".getBytes(StandardCharsets.US_ASCII)),
            new Entry.Symlink("bin/sh", "busybox", 0),
            new Entry.Directory("dev", 0755, 0),
            new Entry.CharDevice("dev/console", 0600, 5, 1, 0),
            new Entry.File("init", 0755, 1_764_288_000, "#!/bin/sh\nexec /app/bin/echo\n".getBytes(StandardCharsets.US_ASCII)));

    private static byte[] written(List<Entry> entries) throws IOException {
        CpioArchive archive = new CpioArchive();
        entries.forEach(archive::add);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        archive.writeTo(out);
        return out.toByteArray();
    }

    @Test
    void theBytesDoNotDependOnTheOrderOfAdding() throws IOException {
        assertArrayEquals(written(ENTRIES), written(ENTRIES.reversed()));
    }

    @Test
    void aFileWhoseFolderIsMissingIsRefused() {
        CpioArchive archive = new CpioArchive();
        archive.add(new Entry.File("etc/hosts", 0644, 0, new byte[1]));
        assertThrows(IllegalStateException.class, () -> archive.writeTo(new ByteArrayOutputStream()));
    }

    @Test
    void twoDifferentEntriesAtOnePathAreRefusedAndTheSameOneTwiceIsKept() {
        CpioArchive archive = new CpioArchive();
        archive.add(new Entry.Directory("lib", 0755, 0));
        archive.add(new Entry.Directory("lib", 0755, 0));
        assertThrows(IllegalArgumentException.class, () -> archive.add(new Entry.Symlink("lib", "usr/lib", 0)));
        assertEquals(List.of("lib"), archive.paths());
    }

    /** GNU cpio (Debian's cpio) reads the archive back: names, types, modes, times, device numbers, contents. */
    @Test
    @Tag("peer")
    void gnuCpioListsAndExtractsWhatWasWritten(@TempDir Path dir) throws IOException {
        Sh.requireCommand("cpio", "cpio");
        Path archive = dir.resolve("a.cpio");
        Files.write(archive, written(ENTRIES));
        String listing = Command.of("sh", "-c", "TZ=UTC cpio -itv --quiet < " + archive).run().ok().out();
        List<String> lines = listing.lines().map(l -> l.replaceAll("\\s+", " ")).toList();
        assertEquals(List.of(
                "drwxr-xr-x 2 root root 0 Jan 1 1970 bin",
                "-rwxr-xr-x 1 root root 12 Jan 1 1970 bin/busybox",
                "lrwxrwxrwx 1 root root 7 Jan 1 1970 bin/sh -> busybox",
                "drwxr-xr-x 2 root root 0 Jan 1 1970 dev",
                "crw------- 1 root root 5, 1 Jan 1 1970 dev/console",
                "-rwxr-xr-x 1 root root 29 Nov 28 2025 init"), lines);
        Path out = Files.createDirectory(dir.resolve("out"));
        Command.of("sh", "-c", "cpio -id --quiet --no-absolute-filenames --nonmatching 'dev/*' < " + archive).in(out).run().ok();
        assertEquals("#!/bin/sh\nexec /app/bin/echo\n", Files.readString(out.resolve("init")));
        assertEquals(Path.of("busybox"), Files.readSymbolicLink(out.resolve("bin/sh")));
    }
}
