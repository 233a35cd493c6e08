package jmirage.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.net.Datagram;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.FlowError;
import jmirage.core.net.UdpSocket;
import jmirage.examples.echo.Echo;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

/** The core echo unikernel, unchanged, on a DirectStack in the simulation: the same code on every target. */
class EchoOnDirectStackTest {

    @Test
    void echoUnikernelServesTcpAndUdpOverTheDirectStack() {
        VirtualSwitch.Conditions lossy = VirtualSwitch.Conditions.PERFECT.withLoss(0.02).withReorder(0.01);
        SimNet net = new SimNet(11, lossy);
        DirectStack server = net.stack(1);
        DirectStack client = net.stack(2);
        Echo echo = new Echo();
        // Booted as every target boots it: claim its devices from the simulation, then start.
        Result<Unikernel.Running, String> started = net.sim.boot(echo, echo.parameters(), null, sim -> server);
        assertTrue(started.isOk(), started.toString());

        Bytes data = TcpTransfer.data(11, 300_000);
        Flow flow = net.await(client.connectTcp(new Endpoint(SimNet.ip("10.0.0.1"), 7))).orElseThrow();
        Promise<Result<String, FlowError>> back = TcpTransfer.receive(flow);
        TcpTransfer.send(flow, data, 8192);
        assertEquals(Result.ok(TcpTransfer.sha256(data) + "/" + data.size()), net.await(back));

        List<Datagram> replies = new ArrayList<>();
        UdpSocket socket = net.await(client.bindUdp(0, replies::add)).orElseThrow();
        net.sim.scheduler().runFor(Duration.ofMillis(10));
        for (int i = 0; i < 20; i++) {
            socket.send(new Endpoint(SimNet.ip("10.0.0.1"), 7), Bytes.utf8("ping " + i));
        }
        net.sim.scheduler().runFor(Duration.ofSeconds(1));
        assertTrue(replies.size() >= 15, "most datagrams come back over a 2% lossy wire: " + replies.size());
        assertTrue(replies.stream().allMatch(d -> d.payload().toUtf8().startsWith("ping ")));
    }
}
