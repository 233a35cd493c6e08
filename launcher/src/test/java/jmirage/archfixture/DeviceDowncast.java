package jmirage.archfixture;

import jmirage.core.block.Block;
import jmirage.core.kv.Kv;
import jmirage.host.FileBlock;
import jmirage.kv.MemKv;
import jmirage.kv.git.GitKv;
import jmirage.net.DirectStack;

/** Every way a service could reach past a device interface to its implementation: the no-downcast rule must report each. */
public final class DeviceDowncast {

    private GitKv git;

    private DeviceDowncast() {}

    static void unicast(DirectStack stack) {}

    static MemKv cache() {
        return null;
    }

    boolean pulls(Kv kv) {
        return kv instanceof GitKv && git != null;
    }

    static int sectorSize(Block block) {
        return ((FileBlock) block).sectorSize();
    }
}
