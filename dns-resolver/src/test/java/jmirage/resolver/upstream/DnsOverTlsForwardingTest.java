package jmirage.resolver.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.core.net.ReadResult;
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
import jmirage.tls.Credentials;
import jmirage.tls.TlsClientConfig;
import jmirage.tls.TlsDevices;
import jmirage.tls.TlsFlow;
import jmirage.tls.TlsServerConfig;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.PeerName;
import jmirage.tls.x509.X509;
import org.junit.jupiter.api.Test;

/**
 * Forwarding over DNS over TLS (RFC 7858) on the sim target: a forwarder with a certificate for
 * dot.test under a test CA answers every question; the resolver reaches it when configured with that
 * CA and that name, and refuses it (no answer, EDE 22) when the name to check is another.
 */
class DnsOverTlsForwardingTest {

    private final Simulation sim = new Simulation(3);
    private final VirtualSwitch lan = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT);
    private final TlsDevices devices = new TlsDevices(sim.scheduler(), sim.clock(), sim.random());
    private Certificate ca;

    private DirectStack stack(int host) {
        Ipv4Config config = new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.0.0." + host + "/24").orElseThrow(), Optional.empty());
        return sim.await(DirectStack.start(lan.port(new MacAddress(0x02_00_00_00_00_00L | host)), config,
                sim.clock(), sim.scheduler(), sim.random(), sim.log("host" + host, LogLevel.WARN))).orElseThrow();
    }

    /** A forwarder on port 853 answering each framed question with 192.0.2.53, RA set. */
    private Endpoint forwarder() {
        Instant now = sim.clock().now();
        KeyPair caKey = KeyPair.generate(KeyType.EC_P256, sim.random());
        ca = X509.selfSignedCa("dot test root", caKey, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), sim.random());
        KeyPair key = KeyPair.generate(KeyType.EC_P256, sim.random());
        Certificate leaf = X509.issue("dot.test", List.of("dot.test"), List.of(), key.publicKey(), new X509.Profile.Server(),
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), ca, caKey, sim.random());
        TlsServerConfig server = TlsServerConfig.of(new Credentials(List.of(leaf), key));
        DirectStack s = stack(53);
        sim.await(s.listenTcp(853, flow -> TlsFlow.accept(flow, server, devices).onSuccess(r -> {
            if (r instanceof Result.Ok<TlsFlow, ?>(TlsFlow tls)) {
                serve(tls, Bytes.EMPTY);
            }
        }))).orElseThrow();
        return new Endpoint(s.addresses().getFirst(), 853);
    }

    private void serve(Flow flow, Bytes have) {
        if (have.size() >= 2 && have.size() >= 2 + (have.getUnsigned(0) << 8 | have.getUnsigned(1))) {
            Message q = MessageCodec.decode(have.slice(2, have.size())).orElseThrow();
            Question question = q.questions().getFirst();
            Record a = Record.in(question.name(), 60, new Rdata.A((Inet4Address) jmirage.core.net.IpAddresses.parse("192.0.2.53").orElseThrow()));
            Bytes answer = MessageCodec.encode(new Message(new Header(q.header().id(), true, 0, false, false, true, true, false, false, false, 0),
                    q.questions(), List.of(a), List.of(), List.of(), Optional.empty()));
            flow.write(Bytes.of((byte) (answer.size() >>> 8), (byte) answer.size()).concat(answer));
            return;
        }
        flow.read().onSuccess(r -> {
            if (r instanceof Result.Ok<ReadResult, ?>(ReadResult.Data(Bytes b))) {
                serve(flow, have.concat(b));
            }
        });
    }

    private Resolution resolveThrough(Endpoint dot, String nameToCheck) {
        DirectStack ours = stack(10);
        TlsClientConfig tls = TlsClientConfig.of(List.of(ca), new PeerName.Dns(nameToCheck));
        StackUpstream upstream = new StackUpstream(ours, sim.scheduler(), sim.clock(), sim.random(),
                new StackUpstream.Config(Duration.ofSeconds(2), Map.of(dot, tls)));
        Hints hints = new Hints(Map.of(), Map.of(Name.ROOT, List.of(dot)));
        Recursion recursion = new Recursion(hints, upstream, sim.clock(), sim.random(),
                Recursion.Config.defaults().withTlsForwarders(java.util.Set.of(dot)).withMaxQueries(3));
        return sim.await(new Resolver(recursion, Optional.empty()).resolve(new Question(Name.of("www.example.org."), Type.A), false));
    }

    @Test
    void aForwarderWithTheRightCertificateAnswers() {
        Resolution r = resolveThrough(forwarder(), "dot.test");
        assertEquals(Header.NOERROR, r.rcode(), r.toString());
        assertEquals(1, r.answer().size());
    }

    @Test
    void aForwarderWhoseCertificateNamesAnotherIsNotUsed() {
        Resolution r = resolveThrough(forwarder(), "other.test");
        assertEquals(Header.SERVFAIL, r.rcode());
        assertEquals(22, r.error().orElseThrow().infoCode());
        assertEquals("no server of . answered", r.error().orElseThrow().extraText());
    }
}
