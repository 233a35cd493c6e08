package jmirage.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: the CPU cost of the TCP path, both stacks, the switch and the SHA-256 on one thread,
 * 50 MB at 0% loss after a JIT warm-up, the median of 11 runs in MB per wall-clock second and per
 * CPU second of that thread (the README's number). Run by hand:
 * {@code ./mvnw -o -q -Dfuzz.skip -pl platform/net -am test -Dtest=TcpThroughputBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Djmirage.bench=true}.
 */
@EnabledIfSystemProperty(named = "jmirage.bench", matches = "true")
class TcpThroughputBenchmark {

    @Test
    void fiftyMegabytesOnAPerfectWire() {
        Bytes warmUp = TcpTransfer.data(7, 10 * 1024 * 1024);
        for (int i = 0; i < 3; i++) {
            transfer(warmUp);
        }
        Bytes data = TcpTransfer.data(8, 50 * 1024 * 1024);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] wall = new double[11];
        double[] cpu = new double[wall.length];
        for (int i = 0; i < wall.length; i++) {
            long start = System.nanoTime();
            long cpuStart = threads.getCurrentThreadCpuTime();
            transfer(data);
            cpu[i] = 50 / ((threads.getCurrentThreadCpuTime() - cpuStart) / 1e9);
            wall[i] = 50 / ((System.nanoTime() - start) / 1e9);
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        // Per CPU second of the one thread that runs everything: steadier than wall clock on a shared machine.
        System.out.printf("50 MB on a perfect wire, %d runs: median %.1f MB/s wall clock (min %.1f, max %.1f),"
                + " %.1f MB per CPU second (min %.1f, max %.1f)%n", wall.length, wall[wall.length / 2], wall[0],
                wall[wall.length - 1], cpu[cpu.length / 2], cpu[0], cpu[cpu.length - 1]);
    }

    private static void transfer(Bytes data) {
        SimNet net = new SimNet(1, VirtualSwitch.Conditions.PERFECT);
        DirectStack server = net.stack(1);
        DirectStack client = net.stack(2);
        assertEquals(Result.ok(TcpTransferTest.expected(data)), net.await(TcpTransfer.run(net, server, client, data)));
    }
}
