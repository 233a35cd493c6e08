package jmirage.caldav.store;

import java.nio.file.Path;
import jmirage.core.kv.Kv;
import jmirage.kv.dir.DirKv;
import jmirage.sim.SimScheduler;
import org.junit.jupiter.api.io.TempDir;

class DirKvLayoutTest extends LayoutConformance {

    @TempDir
    Path root;

    @Override
    protected Kv open(SimScheduler scheduler) {
        return scheduler.runUntil(DirKv.open(root.resolve("store"), scheduler)).value().orElseThrow();
    }
}
