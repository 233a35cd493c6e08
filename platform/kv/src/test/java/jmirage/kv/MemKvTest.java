package jmirage.kv;

import jmirage.core.kv.Kv;
import jmirage.sim.SimScheduler;

class MemKvTest extends KvConformance {

    @Override
    protected Kv open(SimScheduler scheduler) {
        return new MemKv(scheduler.clock());
    }
}
