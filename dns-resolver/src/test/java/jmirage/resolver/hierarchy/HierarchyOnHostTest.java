package jmirage.resolver.hierarchy;

import java.time.Duration;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import jmirage.resolver.core.Resolver;
import jmirage.testkit.OnLoop;
import org.junit.jupiter.api.Test;

/**
 * The acceptance of {@link HierarchyTest} on the host target: the authoritative unikernels on
 * loopback addresses 127.53.0.N (one port for all, so no root is needed), the resolver on its own
 * loop and host stack at 127.53.0.100, real sockets and real time.
 */
class HierarchyOnHostTest {

    static final int PORT = 10053;

    @Test
    void theAcceptanceOnLoopback() throws Exception {
        HostClock clock = new HostClock();
        Hierarchy h = Hierarchy.build(clock.now(), Hierarchy.Addressing.LOOPBACK, PORT);
        try (HostHierarchy servers = HostHierarchy.start(h)) {
            HostScheduler loop = HostScheduler.start("resolver");
            try {
                HostStack stack = new HostStack(loop, Hierarchy.Addressing.LOOPBACK.address(100));
                Resolver resolver = HierarchyTest.resolver(h, stack, loop, clock, new HostRandom());
                HierarchyTest.assertAcceptance((question, cd) -> {
                    try {
                        return OnLoop.await(loop, () -> resolver.resolve(question, cd));
                    } catch (Exception e) {
                        throw new IllegalStateException(question + ": " + e, e);
                    }
                });
                OnLoop.await(loop, stack::close);
            } finally {
                loop.shutdown(Duration.ofSeconds(10));
            }
        }
    }
}
