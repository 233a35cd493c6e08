package jmirage.authoritative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.kv.Key;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.MacAddress;
import jmirage.core.net.ReadResult;
import jmirage.core.net.UdpSocket;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Type;
import jmirage.kv.MemKv;
import jmirage.net.DirectStack;
import jmirage.core.net.IpPrefix;
import jmirage.net.Ipv4Config;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

/**
 * The limits that depend on time, on the simulation target's virtual clock instead of the wall
 * clock: the response rate limit gives exactly its burst, then slips and silence, and refills at its
 * rate; a silent TCP connection and one dripping a byte at a time are closed at --tcp-idle, to the
 * virtual second, and their slots are free again.
 */
class LimitsInVirtualTimeTest {

    private final Simulation sim = new Simulation(13);
    private final VirtualSwitch lan = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT);
    private final DirectStack serverStack = stack(2);
    private final DirectStack clientStack = stack(3);
    private final Endpoint server = new Endpoint(serverStack.addresses().getFirst(), 53);

    private DirectStack stack(int host) {
        Ipv4Config config = new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.0.0." + host + "/24").orElseThrow(), Optional.empty());
        return sim.await(DirectStack.start(lan.port(new MacAddress(0x02_00_00_00_00_00L | host)), config,
                sim.clock(), sim.scheduler(), sim.random(), sim.log("host" + host, LogLevel.WARN))).orElseThrow();
    }

    private Unikernel.Running boot(int rrl, int idleSeconds, int tcpPerSource) {
        MemKv kv = new MemKv(sim.clock());
        sim.await(kv.set(Key.of("example.test"), Bytes.utf8(TestZones.text()))).orElseThrow();
        AuthoritativeDns dns = new AuthoritativeDns();
        AuthoritativeDns.Parameters p = dns.parameters();
        p.port = 53;
        p.rrlPerSecond = rrl;
        p.rrlSlip = 2;
        p.tcpIdleSeconds = idleSeconds;
        p.tcpPerSource = tcpPerSource;
        Result<Unikernel.Running, String> booted = sim.boot(dns, p, s -> kv, s -> serverStack);
        assertTrue(booted.isOk(), booted.toString());
        return booted.orElseThrow();
    }

    static Bytes query(int id) {
        return MessageCodec.encode(Message.query(id, Name.of("web.example.test."), Type.A, Optional.empty()));
    }

    @Test
    void aFloodFromOnePrefixGetsTheBurstThenSlipsAndSilenceAndTheRateAfterASecond() {
        Unikernel.Running running = boot(20, 10, 16);
        List<Message> answers = new ArrayList<>();
        UdpSocket socket = sim.await(clientStack.bindUdp(0,
                d -> answers.add(MessageCodec.decode(d.payload()).orElseThrow()))).orElseThrow();
        socket.send(server, query(999)); // ARP both ways first, so that no datagram of the flood waits for it
        sim.scheduler().runFor(Duration.ofSeconds(1)); // and the bucket is full again
        assertEquals(1, answers.size());
        answers.clear();
        for (int i = 0; i < 100; i++) {
            socket.send(server, query(i));
        }
        sim.scheduler().runFor(Duration.ofMillis(10));
        // 20 per second with a burst of 20: 20 answers; of the 80 limited, every second one slips (TC)
        assertEquals(List.of(20L, 40L), List.of(answers.stream().filter(m -> !m.header().tc()).count(),
                answers.stream().filter(m -> m.header().tc()).count()));
        answers.clear();
        sim.scheduler().runFor(Duration.ofMillis(490)); // half a second refills 10 tokens
        for (int i = 0; i < 30; i++) {
            socket.send(server, query(100 + i));
        }
        sim.scheduler().runFor(Duration.ofMillis(10));
        assertEquals(10L, answers.stream().filter(m -> !m.header().tc()).count());
        sim.await(socket.close());
        sim.await(running.stop());
    }

    @Test
    void silentAndDrippingTcpConnectionsAreClosedAtTheIdleTime() {
        Unikernel.Running running = boot(0, 5, 2);
        Flow silent = sim.await(clientStack.connectTcp(server)).orElseThrow();
        Flow drip = sim.await(clientStack.connectTcp(server)).orElseThrow();
        Promise<Result<ReadResult, jmirage.core.net.FlowError>> silentRead = silent.read();
        Promise<Result<ReadResult, jmirage.core.net.FlowError>> dripRead = drip.read();
        Bytes framed = Bytes.of(new byte[] {0, (byte) query(1).size()}).concat(query(1));
        for (int second = 0; second < 4; second++) {
            drip.write(framed.slice(second, second + 1)); // one byte a second: never a whole query
            sim.scheduler().runFor(Duration.ofSeconds(1));
        }
        assertFalse(silentRead.isResolved() || dripRead.isResolved(), "both still open after 4 s of 5");
        sim.scheduler().runFor(Duration.ofMillis(1100));
        assertTrue(silentRead.isResolved() && dripRead.isResolved(), "both closed at 5 s");
        assertTrue(silentRead.value().orElseThrow() instanceof ReadResult.Eof);
        assertTrue(!(dripRead.value() instanceof Result.Ok<ReadResult, jmirage.core.net.FlowError>(ReadResult.Data d)),
                "no answer to a query that never came whole");
        // both slots of this source (--tcp-per-source 2) are free again: two new connections are answered
        for (int i = 0; i < 2; i++) {
            Flow again = sim.await(clientStack.connectTcp(server)).orElseThrow();
            sim.await(again.write(framed));
            Result<ReadResult, jmirage.core.net.FlowError> answer = sim.await(again.read());
            assertTrue(answer.orElseThrow() instanceof ReadResult.Data, "connection " + i + " answered: " + answer);
        }
        sim.await(running.stop());
    }
}
