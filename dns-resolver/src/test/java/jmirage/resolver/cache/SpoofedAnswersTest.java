package jmirage.resolver.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.LogLevel;
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
import jmirage.resolver.core.Resolver;
import jmirage.resolver.iterate.Hints;
import jmirage.resolver.iterate.Recursion;
import jmirage.resolver.upstream.StackUpstream;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: a spoofed answer with a wrong ID, port, case or question never enters the cache. An
 * authority on the simulated network sends each spoof before the right answer; afterwards the
 * cache holds the right answer only, and nothing under the spoofs' questions.
 */
class SpoofedAnswersTest {

    private final Simulation sim = new Simulation(16);
    private final VirtualSwitch lan = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT);

    private DirectStack stack(int host) {
        Ipv4Config config = new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.0.0." + host + "/24").orElseThrow(), Optional.empty());
        return sim.await(DirectStack.start(lan.port(new MacAddress(0x02_00_00_00_00_00L | host)), config,
                sim.clock(), sim.scheduler(), sim.random(), sim.log("host" + host, LogLevel.WARN))).orElseThrow();
    }

    private static byte[] answer(int id, Question question, String address) {
        Inet4Address a = (Inet4Address) jmirage.core.net.IpAddresses.parse(address).orElseThrow();
        return MessageCodec.encode(new Message(new Header(id, true, 0, true, false, false, false, false, false, false, 0),
                List.of(question), List.of(Record.in(question.name(), 300, new Rdata.A(a))), List.of(), List.of(),
                Optional.empty())).toArray();
    }

    private static Name otherCase(Name name) {
        List<byte[]> labels = new ArrayList<>();
        for (int i = 0; i < name.labelCount(); i++) {
            byte[] label = name.label(i);
            for (int k = 0; k < label.length; k++) {
                label[k] = (byte) (Character.isUpperCase(label[k]) ? Character.toLowerCase(label[k]) : Character.toUpperCase(label[k]));
            }
            labels.add(label);
        }
        return Name.ofLabels(labels).orElseThrow();
    }

    @Test
    void onlyTheMatchingAnswerIsCached() {
        DirectStack authority = stack(2);
        DirectStack resolverStack = stack(3);
        UdpSocket otherPort = sim.await(authority.bindUdp(5353, d -> { })).orElseThrow();
        UdpSocket[] port53 = new UdpSocket[1];
        port53[0] = sim.await(authority.bindUdp(53, d -> {
            Message q = MessageCodec.decode(d.payload()).orElseThrow();
            Question asked = q.questions().getFirst();
            int id = q.header().id();
            port53[0].send(d.source(), jmirage.core.Bytes.adopt(answer((id + 1) & 0xffff, asked, "6.6.6.1")));
            port53[0].send(d.source(), jmirage.core.Bytes.adopt(answer(id, new Question(otherCase(asked.name()), asked.qtype()), "6.6.6.2")));
            port53[0].send(d.source(), jmirage.core.Bytes.adopt(answer(id, new Question(asked.name(), Type.AAAA), "6.6.6.3")));
            otherPort.send(d.source(), jmirage.core.Bytes.adopt(answer(id, asked, "6.6.6.4")));
            port53[0].send(d.source(), jmirage.core.Bytes.adopt(answer(id, asked, "192.0.2.1")));
        })).orElseThrow();

        StackUpstream upstream = new StackUpstream(resolverStack, sim.scheduler(), sim.clock(), sim.random(),
                StackUpstream.Config.of(Duration.ofSeconds(1)));
        Endpoint server = new Endpoint(authority.addresses().getFirst(), 53);
        Hints hints = new Hints(Map.of(Name.ROOT, List.of(new Hints.Server(Name.of("ns.test."), List.of(server.address())))), Map.of());
        Recursion recursion = new Recursion(hints, upstream, sim.clock(), sim.random(),
                Recursion.Config.defaults().withPrimeRoot(false).withQnameMinimisation(false));
        AnswerCache cache = new AnswerCache(AnswerCache.Config.defaults());
        Resolver resolver = new Resolver(recursion, Optional.empty(),
                Optional.of(new Resolver.Caching(cache, Optional.empty(), sim.clock())));
        Question www = new Question(Name.of("www.example.test."), Type.A);
        sim.await(resolver.resolve(www, false));

        long now = sim.clock().monotonicNanos();
        AnswerCache.Hit hit = cache.get(www, now).orElseThrow();
        assertEquals(Header.NOERROR, hit.resolution().rcode());
        assertEquals(List.of("192.0.2.1"),
                hit.resolution().answer().stream().map(r -> ((Rdata.A) r.rdata()).address().getHostAddress()).toList());
        assertEquals(Optional.empty(), cache.get(new Question(www.name(), Type.AAAA), now), "the spoof for another question");
    }
}
