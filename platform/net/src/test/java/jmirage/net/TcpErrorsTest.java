package jmirage.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.FlowError;
import jmirage.core.net.NetError;
import jmirage.core.net.ReadResult;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

class TcpErrorsTest {

    @Test
    void connectingToAClosedPortIsRefused() {
        SimNet net = new SimNet(8, VirtualSwitch.Conditions.PERFECT);
        net.stack(1);
        DirectStack b = net.stack(2);
        Result<Flow, NetError> r = net.await(b.connectTcp(new Endpoint(SimNet.ip("10.0.0.1"), 4444)));
        assertInstanceOf(NetError.Refused.class, ((Result.Err<Flow, NetError>) r).error());
    }

    @Test
    void aPartitionEndsTheConnectionWithTimedOutAndHealingDoesNotResurrectIt() {
        Connected c = connected(9, flow -> { });
        // cut host 2 off from everyone
        c.net().network.partition(List.of(c.net().ports.get(2)));
        Promise<Result<ReadResult, FlowError>> read = c.flow().read();
        c.flow().write(Bytes.utf8("into the void"));
        Result<ReadResult, FlowError> r = c.net().await(read);
        assertEquals(Result.err(new FlowError.TimedOut()), r);
        assertEquals(0, c.client().tcp().connectionCount());
        c.net().network.heal();
        assertEquals(Result.err(new FlowError.TimedOut()), c.net().await(c.flow().write(Bytes.utf8("more"))));
    }

    @Test
    void closeResolvesAPendingReadWithClosedAndTheListenerKeepsServing() {
        Connected c = connected(10, flow -> flow.read().onSuccess(r -> flow.close()));
        Promise<Result<ReadResult, FlowError>> read = c.flow().read();
        c.flow().close();
        assertEquals(Result.err(new FlowError.Closed()), read.value());
        assertEquals(Result.err(new FlowError.Closed()), c.net().await(c.flow().write(Bytes.utf8("late"))));
        c.net().sim.scheduler().runFor(Duration.ofMinutes(2));
        assertEquals(0, c.server().tcp().connectionCount());
        assertEquals(0, c.client().tcp().connectionCount());
        Flow again = c.net().await(c.client().connectTcp(new Endpoint(SimNet.ip("10.0.0.1"), 5001))).orElseThrow();
        assertEquals(new Endpoint(SimNet.ip("10.0.0.1"), 5001), again.remote());
    }

    @Test
    void closingAStackResetsItsConnections() {
        Connected c = connected(12, flow -> { });
        c.net().sim.scheduler().runFor(Duration.ofMillis(10));
        Promise<Result<ReadResult, FlowError>> read = c.flow().read();
        c.server().close();
        assertEquals(Result.err(new FlowError.Reset()), c.net().await(read));
        assertEquals(0, c.server().tcp().connectionCount());
        assertEquals(0, c.client().tcp().connectionCount());
    }

    /** Two stacks on a perfect network, the client (10.0.0.2) connected to port 5001 of the server (10.0.0.1). */
    private record Connected(SimNet net, DirectStack server, DirectStack client, Flow flow) {}

    private static Connected connected(long seed, Consumer<Flow> serverSide) {
        SimNet net = new SimNet(seed, VirtualSwitch.Conditions.PERFECT);
        DirectStack server = net.stack(1);
        DirectStack client = net.stack(2);
        server.listenTcp(5001, serverSide);
        Flow flow = net.await(client.connectTcp(new Endpoint(SimNet.ip("10.0.0.1"), 5001))).orElseThrow();
        return new Connected(net, server, client, flow);
    }
}
