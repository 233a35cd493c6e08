package jmirage.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.time.Duration;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.core.net.FlowError;
import jmirage.net.ethernet.EthernetFrame;
import jmirage.net.ipv4.Ipv4Packet;
import jmirage.net.tcp.SeqNum;
import jmirage.net.tcp.TcpConfig;
import jmirage.net.tcp.TcpSegment;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

class SynFloodTest {

    @Test
    void tenThousandSynsLeaveTheServerBoundedAndARealClientConnects() {
        SimNet net = new SimNet(7, VirtualSwitch.Conditions.PERFECT);
        DirectStack server = net.stack(1);
        DirectStack client = net.stack(2);
        Inet4Address attacker = SimNet.ip("10.0.0.66");
        VirtualSwitch.Port raw = net.network.port(SimNet.mac(66));
        long[] synAcks = {0};
        raw.receive(f -> {
            if (SimNet.answerArp(raw, attacker, f)) {
                return;
            }
            if (Frames.parse(f) instanceof Result.Ok<Frames.Frame, ?>(Frames.Ipv4(var e, var ip, Frames.Tcp(TcpSegment s)))
                    && s.has(TcpSegment.SYN) && s.has(TcpSegment.ACK)) {
                synAcks[0]++; // never answered: the handshake stays half-open
            }
        });
        Promise<Result<String, FlowError>> received = Promise.pending();
        server.listenTcp(5001, flow -> TcpTransfer.receive(flow).onSuccess(r -> {
            flow.close();
            received.resolve(r);
        }));
        int maxHalfOpen = 0;
        long maxMemory = 0;
        Bytes data = TcpTransfer.data(7, 100_000);
        Promise<Result<String, FlowError>> clientDone = null;
        for (int i = 0; i < 10_000; i++) {
            TcpSegment syn = new TcpSegment(1024 + (i % 60000), 5001, SeqNum.of(i * 7919L), SeqNum.of(0), TcpSegment.SYN, 65535, 1460, 7,
                    Bytes.EMPTY);
            Ipv4Packet ip = new Ipv4Packet(0, i, false, false, 0, 64, Ipv4Packet.TCP, attacker, SimNet.ip("10.0.0.1"),
                    syn.encode(attacker, SimNet.ip("10.0.0.1")));
            raw.send(new EthernetFrame(SimNet.mac(1), SimNet.mac(66), EthernetFrame.IPV4, ip.encode()).encode());
            net.sim.scheduler().runFor(Duration.ofMillis(0).plusNanos(100_000)); // 10,000 SYNs per second
            maxHalfOpen = Math.max(maxHalfOpen, server.tcp().halfOpenCount());
            maxMemory = Math.max(maxMemory, server.tcp().memory());
            if (i == 5_000) {
                // a real client, in the middle of the flood
                clientDone = Promise.pending();
                Promise<Result<String, FlowError>> done = clientDone;
                client.connectTcp(new Endpoint(SimNet.ip("10.0.0.1"), 5001)).onSuccess(c -> {
                    var flow = c.orElseThrow();
                    TcpTransfer.send(flow, data, 16 * 1024).onSuccess(w -> done.resolve(w.map(u -> "sent")));
                });
            }
            assertTrue(server.tcp().connectionCount() <= TcpConfig.DEFAULT.maxConnections());
        }
        assertEquals(TcpConfig.DEFAULT.synQueue(), maxHalfOpen, "the SYN queue filled to its bound and no further");
        assertTrue(maxMemory <= 2L * (TcpConfig.DEFAULT.sendBuffer() + TcpConfig.DEFAULT.receiveBuffer()), "memory " + maxMemory);
        assertTrue(synAcks[0] > 1000, "the server answered SYNs: " + synAcks[0]);
        Result<String, FlowError> got = net.await(received);
        assertEquals(Result.ok(TcpTransfer.sha256(data) + "/" + data.size()), got);
        assertEquals(Result.ok("sent"), net.await(clientDone));
        // Half-open connections give up after their SYN-ACK retries.
        net.sim.scheduler().runFor(Duration.ofMinutes(5));
        assertEquals(0, server.tcp().halfOpenCount());
        assertEquals(0, server.tcp().connectionCount());
        System.out.printf("SYN flood: max half-open %d, max TCP memory %d bytes, SYN-ACKs %d, SYNs evicted %d%n", maxHalfOpen,
                maxMemory, synAcks[0], server.tcp().synsDropped());
    }
}
