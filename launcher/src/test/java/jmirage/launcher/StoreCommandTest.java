package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import jmirage.core.Bytes;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.sim.SimScheduler;
import jmirage.sim.VirtualClock;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code unikernel store}, end to end on a file image, as an operator uses it. */
class StoreCommandTest {

    @TempDir
    Path dir;

    private Path image;

    record Run(int status, byte[] out, String err) {
        String text() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    private static Run store(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int status = StoreCommand.run(List.of(args), new ByteArrayInputStream(stdin), out, new PrintWriter(err, true));
        return new Run(status, out.toByteArray(), err.toString());
    }

    private static Run store(String... args) {
        return store(new byte[0], args);
    }

    @BeforeEach
    void anExistingFileFullOfJunk() throws IOException {
        image = dir.resolve("store.img");
        byte[] junk = new byte[1 << 20];
        new SplittableRandom(1).nextBytes(junk);
        Files.write(image, junk);
    }

    @Test
    void formatPutGetLsRmOnAFileImage() {
        assertEquals(1, store("ls", image.toString()).status(), "junk is no store");
        Run format = store("format", image.toString());
        assertEquals(0, format.status(), format.err());
        assertTrue(format.err().contains("formatted"), format.err());
        byte[] binary = new byte[70_000];
        new SplittableRandom(2).nextBytes(binary);
        assertEquals(0, store(binary, "put", image.toString(), "zones/example.org").status());
        assertEquals(0, store("hello\n".getBytes(StandardCharsets.UTF_8), "put", image.toString(), "motd").status());
        Run get = store("get", image.toString(), "zones/example.org");
        assertEquals(0, get.status(), get.err());
        assertArrayEquals(binary, get.out(), "get writes the value unchanged");
        assertEquals("motd\nzones/\n", store("ls", image.toString()).text());
        assertEquals("zones/example.org\n", store("ls", image.toString(), "zones").text());
        Run missing = store("get", image.toString(), "nothing");
        assertEquals(1, missing.status());
        assertTrue(missing.err().contains("nothing at 'nothing'"), missing.err());
        assertEquals(0, store("rm", image.toString(), "zones").status());
        assertEquals("motd\n", store("ls", image.toString()).text());
        assertEquals(1, store("rm", image.toString(), "zones").status(), "removing nothing is reported");
        assertEquals(2, store("frobnicate", image.toString()).status());
        assertEquals(2, store("get", image.toString()).status());
    }

    @Test
    void aWriteUnderAHeldStoreLockIsRefusedAndAReadIsNot() {
        store("format", image.toString());
        assertEquals(0, store("put", image.toString(), "k").status());
        KvSpec booted = new KvSpec.BlockFile(image).absolute();
        StoreLock held = StoreLock.acquire(booted, booted.lockFile().orElseThrow(), "dhcp-server").orElseThrow();
        try {
            Run refused = store("rm", image.toString(), "k");
            assertEquals(1, refused.status());
            assertTrue(refused.err().contains("is in use by pid " + ProcessHandle.current().pid() + " (dhcp-server, since "),
                    refused.err());
            assertEquals(0, store("get", image.toString(), "k").status(), "the key is still there, and reading needs no lock");
        } finally {
            held.release();
        }
        assertEquals(0, store("rm", image.toString(), "k").status());
    }

    @Test
    void fsckExitsNonZeroOnDamage() throws IOException {
        store("format", image.toString());
        store("first value".getBytes(StandardCharsets.UTF_8), "put", image.toString(), "a");
        store("second".getBytes(StandardCharsets.UTF_8), "put", image.toString(), "b");
        Run clean = store("fsck", image.toString());
        assertEquals(0, clean.status(), clean.text() + clean.err());
        assertTrue(clean.text().contains("clean"), clean.text());
        byte[] bytes = Files.readAllBytes(image);
        int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("first value");
        bytes[at] ^= 0x20;
        Files.write(image, bytes);
        Run damaged = store("fsck", image.toString());
        assertEquals(1, damaged.status());
        assertTrue(damaged.text().contains("DAMAGED"), damaged.text());
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.write(new byte[1024]); // both superblocks gone
        }
        assertEquals(1, store("fsck", image.toString()).status());
    }

    @Test
    void exportAndImportThroughAFolder() throws IOException {
        store("format", image.toString());
        store("1".getBytes(StandardCharsets.UTF_8), "put", image.toString(), "a/b/c");
        store("2".getBytes(StandardCharsets.UTF_8), "put", image.toString(), "d");
        Path out = dir.resolve("exported");
        assertEquals(0, store("export", image.toString(), out.toString()).status());
        assertEquals("1", Files.readString(out.resolve("a/b/c")));
        assertEquals("2", Files.readString(out.resolve("d")));

        Path other = dir.resolve("other.img");
        Files.write(other, new byte[1 << 20]);
        assertEquals(0, store("format", other.toString()).status());
        Files.writeString(out.resolve("a/new"), "3");
        Run imported = store("import", other.toString(), out.toString());
        assertEquals(0, imported.status(), imported.err());
        assertEquals("a/\nd\n", store("ls", other.toString()).text());
        assertEquals("3", store("get", other.toString(), "a/new").text());
        assertEquals("1", store("get", other.toString(), "a/b/c").text());
        assertEquals(0, store("fsck", other.toString()).status());

        // and the image serves as --kv block:FILE
        SimScheduler scheduler = new SimScheduler(new VirtualClock(VirtualClock.DEFAULT_START));
        Kv kv = scheduler.runUntil(KvSpec.parse("block:" + other).orElseThrow().open(scheduler.clock(), scheduler)).value().orElseThrow();
        assertEquals(Bytes.utf8("3"), scheduler.runUntil(kv.get(Key.of("a/new"))).value().orElseThrow());
    }

    @Test
    void theRealCommandReadsStdinAndWritesStdoutUnchanged() throws Exception {
        store("format", image.toString());
        byte[] binary = new byte[300_000];
        new SplittableRandom(3).nextBytes(binary);
        process(binary, "store", "put", image.toString(), "blob").ok();
        assertArrayEquals(binary, process(new byte[0], "store", "get", image.toString(), "blob").ok().stdout());
    }

    /** The launcher in a child JVM with {@code input} on its stdin. */
    private static Ran process(byte[] input, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                Main.class.getName()));
        command.addAll(List.of(args));
        return Command.of(command).stdin(input).timeout(Duration.ofSeconds(60)).run();
    }
}
