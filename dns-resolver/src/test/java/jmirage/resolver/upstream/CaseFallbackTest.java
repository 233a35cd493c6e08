package jmirage.resolver.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.FlowError;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.core.net.ReadResult;
import jmirage.core.net.UdpSocket;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Resolver;
import jmirage.resolver.iterate.Hints;
import jmirage.resolver.iterate.Recursion;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

/**
 * On the sim target, an authority that answers every question lower-cased, over UDP and TCP (as
 * some do). The resolver's 0x20 drops the UDP answer, asks over TCP at once, takes that answer,
 * and from then on asks that server without 0x20: one TCP exchange in all, no timeout.
 */
class CaseFallbackTest {

    private final Simulation sim = new Simulation(17);
    private final VirtualSwitch lan = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT);
    private int tcpQueries;
    private int udpQueries;

    private DirectStack stack(int host) {
        Ipv4Config config = new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.0.0." + host + "/24").orElseThrow(), Optional.empty());
        return sim.await(DirectStack.start(lan.port(new MacAddress(0x02_00_00_00_00_00L | host)), config,
                sim.clock(), sim.scheduler(), sim.random(), sim.log("host" + host, LogLevel.WARN))).orElseThrow();
    }

    /** The answer to {@code query}, its question lower-cased: a server that does not preserve case. */
    private static Message lowerCased(Message query) {
        Question asked = query.questions().getFirst();
        Question lower = new Question(asked.name().toLowerCase(), asked.qtype(), asked.qclass());
        Inet4Address a = (Inet4Address) jmirage.core.net.IpAddresses.parse("192.0.2.7").orElseThrow();
        return new Message(new Header(query.header().id(), true, 0, true, false, false, false, false, false, false, 0), List.of(lower),
                List.of(Record.in(lower.name(), 300, new Rdata.A(a))), List.of(), List.of(), Optional.empty());
    }

    private void serveTcp(Flow flow, Bytes have) {
        if (have.size() >= 2 && have.size() >= 2 + (have.getUnsigned(0) << 8 | have.getUnsigned(1))) {
            tcpQueries++;
            Message q = MessageCodec.decode(have.slice(2, have.size())).orElseThrow();
            Bytes msg = MessageCodec.encode(lowerCased(q));
            flow.write(Bytes.of((byte) (msg.size() >>> 8), (byte) msg.size()).concat(msg));
            return;
        }
        flow.read().onSuccess(r -> {
            if (r instanceof Result.Ok<ReadResult, FlowError>(ReadResult.Data(Bytes b))) {
                serveTcp(flow, have.concat(b));
            }
        });
    }

    @Test
    void aServerThatLowerCasesIsAskedOverTcpOnceThenWithout0x20() {
        DirectStack authority = stack(2);
        DirectStack resolver = stack(3);
        Endpoint server = new Endpoint(authority.addresses().getFirst(), 53);
        UdpSocket[] port53 = new UdpSocket[1];
        port53[0] = sim.await(authority.bindUdp(53, d -> {
            udpQueries++;
            port53[0].send(d.source(), MessageCodec.encode(lowerCased(MessageCodec.decode(d.payload()).orElseThrow())));
        })).orElseThrow();
        sim.await(authority.listenTcp(53, flow -> serveTcp(flow, Bytes.EMPTY))).orElseThrow();

        StackUpstream upstream = new StackUpstream(resolver, sim.scheduler(), sim.clock(), sim.random(), StackUpstream.Config.of(Duration.ofSeconds(1)));
        Hints hints = new Hints(Map.of(Name.ROOT, List.of(new Hints.Server(Name.of("ns.test."), List.of(server.address())))), Map.of());
        Recursion recursion = new Recursion(hints, upstream, sim.clock(), sim.random(),
                Recursion.Config.defaults().withPrimeRoot(false).withQnameMinimisation(false));
        Resolver resolve = new Resolver(recursion, Optional.empty());
        assertTrue(upstream.preservesCase(server));

        Resolution first = sim.await(resolve.resolve(new Question(Name.of("www.example.test."), Type.A), false));
        assertEquals(Header.NOERROR, first.rcode(), first.toString());
        assertEquals(1, first.answer().size());
        assertEquals(1, tcpQueries, "the case-only mismatch is asked again over TCP");
        assertFalse(upstream.preservesCase(server), "the TCP answer showed the server does not preserve case");
        assertTrue(sim.clock().elapsed().compareTo(Duration.ofSeconds(1)) < 0, "no timeout: " + sim.clock().elapsed());

        Resolution second = sim.await(resolve.resolve(new Question(Name.of("mail.example.test."), Type.A), false));
        assertEquals(Header.NOERROR, second.rcode(), second.toString());
        assertEquals(1, tcpQueries, "asked without 0x20, the UDP answer matches");
        assertEquals(2, udpQueries);
        assertEquals(Map.of(AnswerMatch.Dropped.WRONG_CASE, 1L), upstream.dropped());

        sim.scheduler().runFor(StackUpstream.CASELESS_TTL.plusSeconds(1));
        assertTrue(upstream.preservesCase(server), "remembered for a while, then 0x20 is tried again");
    }
}
