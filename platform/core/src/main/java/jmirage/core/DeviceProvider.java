package jmirage.core;

import jmirage.core.block.Block;
import jmirage.core.kv.Kv;
import jmirage.core.net.Net;
import jmirage.core.net.Stack;

/**
 * What a target offers a unikernel at boot. Each device is built the first time it is claimed, and
 * only then; a target that cannot offer one throws {@link DeviceUnavailable} with the reason and the
 * boot parameter that would provide it.
 */
public interface DeviceProvider {

    Clock clock();

    Scheduler scheduler();

    Random random();

    /** The unikernel's log; its source is the unikernel's name. */
    Log log();

    Kv kv();

    Block block();

    Net net();

    Stack stack();

    /** A device the target cannot provide, with what the operator can do about it. */
    final class DeviceUnavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public DeviceUnavailable(String message) {
            super(message);
        }
    }
}
