package jmirage.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.kv.Key;
import jmirage.core.net.Endpoint;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Type;
import jmirage.dns.client.StubClient;
import jmirage.kv.MemKv;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import jmirage.tls.SelfSigned;
import org.junit.jupiter.api.Test;

/**
 * {@code --forward tls://IP#NAME} end to end on the sim target: resolver B (the real core) forwards
 * over DNS over TLS to resolver A (a scripted core serving DoT), A's certificate checked against the
 * CA of {@code --forward-ca} in B's store and its name; with a name A's certificate does not carry,
 * B answers SERVFAIL rather than trust an unauthenticated server (RFC 8310 strict privacy).
 */
class ForwardOverTlsTest {

    private final Simulation sim = new Simulation(5);
    private final VirtualSwitch lan = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT);

    private DirectStack stack(int host) {
        Ipv4Config config = new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.0.1." + host + "/24").orElseThrow(), Optional.empty());
        return sim.await(DirectStack.start(lan.port(new MacAddress(0x02_00_00_00_01_00L | host)), config,
                sim.clock(), sim.scheduler(), sim.random(), sim.log("host" + host, LogLevel.WARN))).orElseThrow();
    }

    private <T> T ok(Promise<? extends Result<T, ?>> p) {
        return sim.await(p).orElseThrow(e -> new IllegalStateException(e.toString()));
    }

    /** Boots forwarder A, then B forwarding to it as {@code tls://A#name}; B's answer to www.example.test A. */
    private Message throughForwarder(String name) {
        DirectStack aStack = stack(2);
        MemKv aKv = new MemKv(sim.clock());
        DnsResolver a = new DnsResolver(setup -> Core.scripted(ScriptedResolve.example()));
        DnsResolver.Parameters ap = a.parameters();
        ap.allow = List.of("10.0.1.0/24");
        ap.dotPort = 853;
        ap.rollover.stateKey = "";
        Result<Unikernel.Running, String> aUp = sim.boot(a, ap, s -> aKv, s -> aStack);
        assertTrue(aUp.isOk(), aUp.toString());
        InetAddress aAddress = aStack.addresses().getFirst();

        DirectStack bStack = stack(3);
        MemKv bKv = new MemKv(sim.clock());
        ok(bKv.set(Key.of("forward-ca.pem"), ok(aKv.get(SelfSigned.CERTIFICATE)))); // A's self-signed certificate is its own CA
        // an anchor for a zone nothing here is under: validation has nothing to say about the answers
        ok(bKv.set(Key.of("anchors"), Bytes.utf8("elsewhere.invalid. 3600 IN DS 12345 13 2 " + "AB".repeat(32) + "\n")));
        DnsResolver b = new DnsResolver();
        DnsResolver.Parameters bp = b.parameters();
        bp.allow = List.of("10.0.1.0/24");
        bp.forward = List.of("tls://" + aAddress.getHostAddress() + "#" + name);
        bp.trustAnchor = "anchors";
        bp.rollover.stateKey = "";
        Result<Unikernel.Running, String> bUp = sim.boot(b, bp, s -> bKv, s -> bStack);
        assertTrue(bUp.isOk(), bUp.toString());

        StubClient client = new StubClient(stack(4), sim.scheduler(), sim.random(),
                new StubClient.Config(new Endpoint(bStack.addresses().getFirst(), 53), Duration.ofSeconds(30), 2, 1232));
        return ok(client.query(Name.of("www.example.test."), Type.A));
    }

    @Test
    void queriesGoOverTlsToAForwarderWhoseCertificateChecks() {
        Message m = throughForwarder("localhost");
        assertEquals(Header.NOERROR, m.header().rcode());
        assertEquals("192.0.2.80", ((jmirage.dns.Rdata.A) m.answers().stream().filter(r -> r.type() == Type.A).findFirst().orElseThrow()
                .rdata()).address().getHostAddress());
    }

    @Test
    void aForwarderWithoutTheNamedCertificateIsNotAsked() {
        Message m = throughForwarder("resolver.elsewhere.example");
        assertEquals(Header.SERVFAIL, m.header().rcode());
    }
}
