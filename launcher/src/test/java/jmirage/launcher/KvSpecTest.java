package jmirage.launcher;

import jmirage.kv.MemKv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.sim.SimScheduler;
import jmirage.sim.VirtualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvSpecTest {

    @TempDir
    Path folder;

    private final SimScheduler scheduler = new SimScheduler(new VirtualClock(VirtualClock.DEFAULT_START));

    @Test
    void parsesTheKnownForms() {
        assertEquals(Result.ok(new KvSpec.Mem()), KvSpec.parse("mem"));
        assertEquals(Result.ok(new KvSpec.Dir(Path.of("/var/lib/zones"))), KvSpec.parse("dir:/var/lib/zones"));
        assertEquals(Result.ok(new KvSpec.Dir(Path.of("relative/path"))), KvSpec.parse("dir:relative/path"));
        assertEquals(Result.ok(new KvSpec.BlockFile(Path.of("/srv/store.img"))), KvSpec.parse("block:/srv/store.img"));
        assertEquals(Result.ok(new KvSpec.Git(Path.of("/srv/data.git"), "main", java.util.Optional.empty())),
                KvSpec.parse("git:/srv/data.git"));
        assertEquals(Result.ok(new KvSpec.Git(Path.of("data.git"), "live", java.util.Optional.of("ssh://git@example.org/data.git"))),
                KvSpec.parse("git:data.git#live?remote=ssh://git@example.org/data.git"));
        assertEquals(Result.ok(new KvSpec.Git(Path.of("data.git"), "live", java.util.Optional.of("https://example.org/data.git"))),
                KvSpec.parse("git:data.git?remote=https://example.org/data.git#live"), "the issue's order");
        assertEquals(Result.ok(new KvSpec.Git(Path.of("data.git"), "main", java.util.Optional.of("ssh://git@example.org:2222/data.git"),
                        java.util.Optional.of(Path.of("/etc/jmirage/id_ed25519")))),
                KvSpec.parse("git:data.git?remote=ssh://git@example.org:2222/data.git&key=/etc/jmirage/id_ed25519"));
    }

    @Test
    void anUnknownFormSaysWhichFormsExist() {
        for (String wrong : new String[] {"", "memory", "gitt:/x", "MEM", "dir", "block"}) {
            String message = ((Result.Err<KvSpec, String>) KvSpec.parse(wrong)).error();
            assertTrue(message.contains(KvSpec.FORMS), message);
        }
        assertInstanceOf(Result.Err.class, KvSpec.parse("dir:"));
        assertInstanceOf(Result.Err.class, KvSpec.parse("block:"));
        assertInstanceOf(Result.Err.class, KvSpec.parse("git:x?remote="));
        assertInstanceOf(Result.Err.class, KvSpec.parse("git:x#"));
    }

    @Test
    void opensTheBackendItNames() throws Exception {
        Kv mem = scheduler.runUntil(new KvSpec.Mem().open(scheduler.clock(), scheduler)).value().orElseThrow();
        assertInstanceOf(MemKv.class, mem);

        Path root = folder.resolve("store");
        Kv dir = scheduler.runUntil(KvSpec.parse("dir:" + root).orElseThrow().open(scheduler.clock(), scheduler))
                .value().orElseThrow();
        scheduler.runUntil(dir.set(Key.of("a/b"), Bytes.utf8("1"))).value().orElseThrow();
        assertEquals("1", Files.readString(root.resolve("a/b")));
        scheduler.runUntil(dir.close());
    }
}
