package jmirage.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.List;
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
        SimNet net = new SimNet(9, VirtualSwitch.Conditions.PERFECT);
        DirectStack a = net.stack(1);
        DirectStack b = net.stack(2);
        a.listenTcp(5001, flow -> { });
        Flow flow = net.await(b.connectTcp(new Endpoint(SimNet.ip("10.0.0.1"), 5001))).orElseThrow();
        // cut host 2 off from everyone
        net.network.partition(List.of(net.ports.get(2)));
        Promise<Result<ReadResult, FlowError>> read = flow.read();
        flow.write(Bytes.utf8("into the void"));
        Result<ReadResult, FlowError> r = net.await(read);
        assertEquals(Result.err(new FlowError.TimedOut()), r);
        assertEquals(0, b.tcp().connectionCount());
        net.network.heal();
        assertEquals(Result.err(new FlowError.TimedOut()), net.await(flow.write(Bytes.utf8("more"))));
    }

    @Test
    void closeResolvesAPendingReadWithClosedAndTheListenerKeepsServing() {
        SimNet net = new SimNet(10, VirtualSwitch.Conditions.PERFECT);
        DirectStack a = net.stack(1);
        DirectStack b = net.stack(2);
        a.listenTcp(5001, flow -> flow.read().onSuccess(r -> flow.close()));
        Flow flow = net.await(b.connectTcp(new Endpoint(SimNet.ip("10.0.0.1"), 5001))).orElseThrow();
        Promise<Result<ReadResult, FlowError>> read = flow.read();
        flow.close();
        assertEquals(Result.err(new FlowError.Closed()), read.value());
        assertEquals(Result.err(new FlowError.Closed()), net.await(flow.write(Bytes.utf8("late"))));
        net.sim.scheduler().runFor(Duration.ofMinutes(2));
        assertEquals(0, a.tcp().connectionCount());
        assertEquals(0, b.tcp().connectionCount());
        Flow again = net.await(b.connectTcp(new Endpoint(SimNet.ip("10.0.0.1"), 5001))).orElseThrow();
        assertEquals(new Endpoint(SimNet.ip("10.0.0.1"), 5001), again.remote());
    }

    @Test
    void closingAStackResetsItsConnections() {
        SimNet net = new SimNet(12, VirtualSwitch.Conditions.PERFECT);
        DirectStack a = net.stack(1);
        DirectStack b = net.stack(2);
        a.listenTcp(5001, flow -> { });
        Flow flow = net.await(b.connectTcp(new Endpoint(SimNet.ip("10.0.0.1"), 5001))).orElseThrow();
        net.sim.scheduler().runFor(Duration.ofMillis(10));
        Promise<Result<ReadResult, FlowError>> read = flow.read();
        a.close();
        assertEquals(Result.err(new FlowError.Reset()), net.await(read));
        assertEquals(0, a.tcp().connectionCount());
        assertEquals(0, b.tcp().connectionCount());
    }
}
