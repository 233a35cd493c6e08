package jmirage.caldav.store;

import java.nio.file.Path;
import jmirage.core.LogLevel;
import jmirage.core.RecordingLog;
import jmirage.core.kv.Kv;
import jmirage.kv.git.GitKv;
import jmirage.sim.SimScheduler;
import org.junit.jupiter.api.io.TempDir;

class GitKvLayoutTest extends LayoutConformance {

    @TempDir
    Path root;

    @Override
    protected Kv open(SimScheduler scheduler) {
        RecordingLog log = new RecordingLog("kv", LogLevel.DEBUG, scheduler.clock(), r -> {});
        return scheduler.runUntil(GitKv.open(GitKv.Options.local(root.resolve("repo.git")), scheduler, scheduler.clock(), log))
                .value().orElseThrow();
    }
}
