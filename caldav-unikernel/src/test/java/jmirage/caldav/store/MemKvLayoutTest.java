package jmirage.caldav.store;

import jmirage.core.kv.Kv;
import jmirage.kv.MemKv;
import jmirage.sim.SimScheduler;

class MemKvLayoutTest extends LayoutConformance {
    @Override
    protected Kv open(SimScheduler scheduler) {
        return new MemKv(scheduler.clock());
    }
}
