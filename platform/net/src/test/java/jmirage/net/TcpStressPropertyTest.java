package jmirage.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.FlowError;
import jmirage.core.net.ReadResult;
import jmirage.net.tcp.TcpConfig;
import jmirage.sim.VirtualSwitch;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Full-duplex echo under random impairments, MTUs, buffer sizes, write sizes and Nagle settings:
 * whatever the wire does, the bytes come back intact and both stacks end with no connection.
 */
class TcpStressPropertyTest {

    /** Echoes every byte back, then shuts down when the peer does; reads slowly when {@code lazy}. */
    static void echo(Flow flow, DirectStack stack, boolean lazy, SimNet net) {
        flow.read().onSuccess(r -> {
            switch (r) {
                case Result.Ok<ReadResult, FlowError>(ReadResult.Data(Bytes b)) -> flow.write(b).onSuccess(w -> {
                    if (lazy) {
                        net.sim.scheduler().schedule(Duration.ofMillis(20), () -> echo(flow, stack, lazy, net));
                    } else {
                        echo(flow, stack, lazy, net);
                    }
                });
                case Result.Ok<ReadResult, FlowError>(ReadResult.Eof e) -> flow.shutdownOutput().onSuccess(s -> flow.close());
                case Result.Err<ReadResult, FlowError> e -> flow.close();
            }
        });
    }

    @Property(tries = 300)
    void echoedBytesComeBackIntact(@ForAll long seed, @ForAll @IntRange(min = 0, max = 30) int lossPercent,
            @ForAll @IntRange(min = 0, max = 10) int dupPercent, @ForAll @IntRange(min = 0, max = 10) int reorderPercent,
            @ForAll @IntRange(min = 576, max = 1500) int mtu, @ForAll @IntRange(min = 1, max = 200_000) int size,
            @ForAll @IntRange(min = 1, max = 70_000) int chunk, @ForAll @IntRange(min = 2, max = 64) int bufferKiB,
            @ForAll boolean noDelay, @ForAll boolean lazyServer) {
        VirtualSwitch.Conditions c = VirtualSwitch.Conditions.PERFECT.withLoss(lossPercent / 100.0).withDuplicate(dupPercent / 100.0)
                .withReorder(reorderPercent / 100.0).withDelay(Duration.ofMillis(2), Duration.ofMillis(1)).withMtu(mtu);
        TcpConfig config = new TcpConfig(bufferKiB * 1024, bufferKiB * 1024, 64, 16, Duration.ofSeconds(1), Duration.ofMillis(200),
                Duration.ofSeconds(60), 30, 8, Duration.ofMillis(40), Duration.ofSeconds(60), Duration.ofSeconds(60),
                java.util.Optional.empty(), Duration.ofSeconds(75), 9, noDelay);
        SimNet net = new SimNet(seed, c);
        DirectStack server = net.stack(1, config);
        DirectStack client = net.stack(2, config);
        server.listenTcp(7, flow -> echo(flow, server, lazyServer, net));
        Bytes data = TcpTransfer.data(seed, size);
        Flow flow = net.await(client.connectTcp(new Endpoint(SimNet.ip("10.0.0.1"), 7))).orElseThrow();
        Promise<Result<String, FlowError>> back = TcpTransfer.receive(flow);
        TcpTransfer.send(flow, data, chunk);
        assertEquals(Result.ok(TcpTransfer.sha256(data) + "/" + size), net.await(back));
        flow.close();
        net.sim.scheduler().runFor(Duration.ofMinutes(30)); // at 30% loss a last FIN can need many backed-off retries
        assertEquals(0, server.tcp().connectionCount(), "server done");
        assertEquals(0, client.tcp().connectionCount(), "client done");
    }

    @Property(tries = 30)
    void aTransferSurvivesAnOutageShorterThanItsRetries(@ForAll long seed, @ForAll @IntRange(min = 0, max = 90) int outageSeconds,
            @ForAll @IntRange(min = 0, max = 2000) int outageStartMs, @ForAll @IntRange(min = 1, max = 300_000) int size) {
        VirtualSwitch.Conditions c = VirtualSwitch.Conditions.PERFECT.withLoss(0.02).withDelay(Duration.ofMillis(2), Duration.ofMillis(1));
        SimNet net = new SimNet(seed, c);
        DirectStack server = net.stack(1);
        DirectStack client = net.stack(2);
        server.listenTcp(7, flow -> echo(flow, server, false, net));
        Bytes data = TcpTransfer.data(seed, size);
        Flow flow = net.await(client.connectTcp(new Endpoint(SimNet.ip("10.0.0.1"), 7))).orElseThrow();
        net.sim.scheduler().schedule(Duration.ofMillis(outageStartMs), () -> net.network.partition(java.util.List.of(net.ports.get(2))));
        net.sim.scheduler().schedule(Duration.ofMillis(outageStartMs).plusSeconds(outageSeconds), net.network::heal);
        Promise<Result<String, FlowError>> back = TcpTransfer.receive(flow);
        TcpTransfer.send(flow, data, 16 * 1024);
        // 15 retries with the RTO doubling to 60 s outlast a 90 s outage
        assertEquals(Result.ok(TcpTransfer.sha256(data) + "/" + size), net.await(back));
    }
}
