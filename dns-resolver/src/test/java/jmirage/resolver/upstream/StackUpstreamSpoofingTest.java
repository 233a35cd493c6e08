package jmirage.resolver.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.LogLevel;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
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
 * An authority on the simulated network that answers every query five times: first with a wrong ID,
 * the wrong case, another question, from another port, and only then rightly. Only the right answer
 * reaches the resolution; each spoof is dropped and counted.
 */
class StackUpstreamSpoofingTest {

    private final Simulation sim = new Simulation(11);
    private final VirtualSwitch lan = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT);

    private DirectStack stack(int host) {
        Ipv4Config config = new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.0.0." + host + "/24").orElseThrow(), Optional.empty());
        return sim.await(DirectStack.start(lan.port(new MacAddress(0x02_00_00_00_00_00L | host)), config,
                sim.clock(), sim.scheduler(), sim.random(), sim.log("host" + host, LogLevel.WARN))).orElseThrow();
    }

    private static Message answer(Message query, int id, Question question, String address) {
        Inet4Address a = (Inet4Address) jmirage.core.net.IpAddresses.parse(address).orElseThrow();
        return new Message(new Header(id, true, 0, true, false, false, false, false, false, false, 0), List.of(question),
                List.of(Record.in(question.name(), 300, new Rdata.A(a))), List.of(), List.of(), Optional.empty());
    }

    private static Name flipFirstLetter(Name name) {
        byte[] first = name.label(0);
        first[0] = (byte) (Character.isUpperCase(first[0]) ? Character.toLowerCase(first[0]) : Character.toUpperCase(first[0]));
        java.util.List<byte[]> labels = new java.util.ArrayList<>();
        labels.add(first);
        for (int i = 1; i < name.labelCount(); i++) {
            labels.add(name.label(i));
        }
        return Name.ofLabels(labels).orElseThrow();
    }

    @Test
    void spoofedAnswersNeverReachTheResolution() {
        DirectStack authority = stack(2);
        DirectStack resolver = stack(3);
        Endpoint server = new Endpoint(authority.addresses().getFirst(), 53);
        UdpSocket otherPort = sim.await(authority.bindUdp(5353, d -> { })).orElseThrow();
        UdpSocket[] port53 = new UdpSocket[1];
        port53[0] = sim.await(authority.bindUdp(53, d -> {
            Message q = MessageCodec.decode(d.payload()).orElseThrow();
            Question asked = q.questions().getFirst();
            int id = q.header().id();
            port53[0].send(d.source(), MessageCodec.encode(answer(q, (id + 1) & 0xffff, asked, "6.6.6.1")));
            port53[0].send(d.source(), MessageCodec.encode(answer(q, id,
                    new Question(flipFirstLetter(asked.name()), asked.qtype()), "6.6.6.2")));
            port53[0].send(d.source(), MessageCodec.encode(answer(q, id, new Question(asked.name(), Type.AAAA), "6.6.6.3")));
            otherPort.send(d.source(), MessageCodec.encode(answer(q, id, asked, "6.6.6.4")));
            port53[0].send(d.source(), MessageCodec.encode(answer(q, id, asked, "192.0.2.1")));
        })).orElseThrow();

        StackUpstream upstream = new StackUpstream(resolver, sim.scheduler(), sim.clock(), sim.random(), StackUpstream.Config.of(Duration.ofSeconds(1)));
        Hints hints = new Hints(Map.of(Name.ROOT, List.of(new Hints.Server(Name.of("ns.test."), List.of(server.address())))), Map.of());
        Recursion recursion = new Recursion(hints, upstream, sim.clock(), sim.random(),
                Recursion.Config.defaults().withPrimeRoot(false).withQnameMinimisation(false));
        Resolution r = sim.await(new Resolver(recursion, Optional.empty()).resolve(new Question(Name.of("www.example.test."), Type.A), false));

        assertEquals(Header.NOERROR, r.rcode(), r.toString());
        assertEquals(List.of("192.0.2.1"), r.answer().stream().map(rec -> ((Rdata.A) rec.rdata()).address().getHostAddress()).toList());
        assertEquals(Map.of(AnswerMatch.Dropped.WRONG_ID, 1L, AnswerMatch.Dropped.WRONG_CASE, 1L,
                AnswerMatch.Dropped.WRONG_QUESTION, 1L, AnswerMatch.Dropped.WRONG_SOURCE, 1L), upstream.dropped());
        assertTrue(sim.clock().elapsed().compareTo(Duration.ofSeconds(1)) < 0, "answered, not timed out");
    }
}
