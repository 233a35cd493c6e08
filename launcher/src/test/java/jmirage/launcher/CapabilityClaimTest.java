package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import jmirage.core.DeviceProvider;
import jmirage.core.DeviceProvider.DeviceUnavailable;
import jmirage.core.LogLevel;
import jmirage.core.kv.KvSync;
import jmirage.host.ConsoleLog;
import jmirage.host.HostClock;
import jmirage.host.HostScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Capabilities are claimed at boot on the host target: offered by the store that has them, refused with one line otherwise. */
class CapabilityClaimTest {

    @TempDir
    Path folder;

    private final HostScheduler scheduler = HostScheduler.start("claim-test");
    private HostTarget.Devices devices;

    private HostTarget.Devices devices(String kv) {
        CommonParameters common = new CommonParameters();
        common.kv = kv;
        common.kvInit = true; // a fresh store in the test's folder
        devices = new HostTarget.Devices("claimer", common, InetAddress.getLoopbackAddress(), new HostClock(), scheduler);
        return devices;
    }

    @AfterEach
    void close() throws Exception {
        if (devices != null) {
            HostTarget.onLoop(scheduler, () -> devices.close(ConsoleLog.create("test", LogLevel.INFO, new HostClock())));
        }
        scheduler.shutdown(Duration.ofSeconds(5));
    }

    @Test
    void aGitStoreOffersKvSyncOnTheKvItself() {
        DeviceProvider d = devices("git:" + folder.resolve("store.git"));
        Optional<KvSync> sync = d.kvSync();
        assertTrue(sync.isPresent());
        assertSame(d.kv(), sync.get(), "the capability is the claimed store, not another one");
    }

    @Test
    void aDirStoreHasNoKvSyncAndRequireRefusesTheBootWithTheReason() {
        DeviceProvider d = devices("dir:" + folder.resolve("store"));
        assertEquals(Optional.empty(), d.kvSync());
        DeviceUnavailable refused = assertThrows(DeviceUnavailable.class,
                () -> DeviceProvider.require(d.kvSync(), "zones are pulled from git: boot with --kv git:PATH?remote=URL"));
        assertEquals("zones are pulled from git: boot with --kv git:PATH?remote=URL", refused.getMessage());
    }

    @Test
    void theHostStackHasNoLink() {
        assertEquals(Optional.empty(), devices("mem").link());
    }
}
