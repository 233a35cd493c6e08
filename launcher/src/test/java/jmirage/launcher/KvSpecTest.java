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
    }

    @Test
    void anUnknownFormSaysWhichFormsExist() {
        for (String wrong : new String[] {"", "memory", "git:/x", "MEM", "dir"}) {
            String message = ((Result.Err<KvSpec, String>) KvSpec.parse(wrong)).error();
            assertTrue(message.contains("mem | dir:PATH"), message);
        }
        assertInstanceOf(Result.Err.class, KvSpec.parse("dir:"));
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
