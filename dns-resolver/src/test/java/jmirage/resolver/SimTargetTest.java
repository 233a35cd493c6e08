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
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.core.net.ReadResult;
import jmirage.dns.EdnsOption;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Type;
import jmirage.dns.client.StubClient;
import jmirage.kv.MemKv;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import jmirage.tls.SelfSigned;
import jmirage.tls.TlsClientConfig;
import jmirage.tls.TlsDevices;
import jmirage.tls.TlsFlow;
import jmirage.tls.x509.Pem;
import jmirage.tls.x509.PeerName;
import org.junit.jupiter.api.Test;

/**
 * The resolver on the simulation target: booted by {@link Simulation#boot} on the direct stack over
 * a virtual switch with 10% loss, a scripted core, {@code --allow 10.0.0.3/32}. A stub client at
 * 10.0.0.3 gets its answers over UDP (retrying lost datagrams) and TCP (after TC), and over DNS over
 * TLS with the resolver's certificate checked; a client at 10.0.0.4 is REFUSED with EDE 18.
 */
class SimTargetTest {

    private final Simulation sim = new Simulation(11);
    private final VirtualSwitch lan = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT.withLoss(0.10).withReorder(0.05));

    private DirectStack stack(int host) {
        Ipv4Config config = new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.0.0." + host + "/24").orElseThrow(), Optional.empty());
        return sim.await(DirectStack.start(lan.port(new MacAddress(0x02_00_00_00_00_00L | host)), config,
                sim.clock(), sim.scheduler(), sim.random(), sim.log("host" + host, LogLevel.WARN))).orElseThrow();
    }

    private <T> T ok(Promise<? extends Result<T, ?>> p) {
        return sim.await(p).orElseThrow(e -> new IllegalStateException(e.toString()));
    }

    @Test
    void allowedClientsGetAnswersOverUdpTcpAndTlsOthersAreRefused() {
        DirectStack resolverStack = stack(2);
        DirectStack allowed = stack(3);
        DirectStack stranger = stack(4);
        MemKv kv = new MemKv(sim.clock());
        ScriptedResolve core = ScriptedResolve.example();
        DnsResolver resolver = new DnsResolver(setup -> Core.scripted(core));
        DnsResolver.Parameters p = resolver.parameters();
        p.allow = List.of("10.0.0.3/32");
        p.dotPort = 853;
        Result<Unikernel.Running, String> booted = sim.boot(resolver, p, s -> kv, s -> resolverStack);
        assertTrue(booted.isOk(), booted.toString());
        InetAddress server = resolverStack.addresses().getFirst();

        StubClient client = new StubClient(allowed, sim.scheduler(), sim.random(),
                new StubClient.Config(new Endpoint(server, 53), Duration.ofSeconds(1), 8, 1232));
        Message a = ok(client.query(Name.of("www.example.test."), Type.A));
        assertEquals(Header.NOERROR, a.header().rcode());
        assertTrue(a.header().ra());
        assertEquals(1, a.answers().size());
        // 40 TXT records do not fit 512 bytes: TC, then the same question over TCP, whose timeout
        // must leave room for a lost SYN or segment (TCP's first retransmission waits 1 s, RFC 6298 2.1)
        StubClient small = new StubClient(allowed, sim.scheduler(), sim.random(),
                new StubClient.Config(new Endpoint(server, 53), Duration.ofSeconds(5), 8, 512));
        assertEquals(40, ok(small.query(Name.of("long.example.test."), Type.TXT)).answers().size());

        StubClient outsider = new StubClient(stranger, sim.scheduler(), sim.random(),
                new StubClient.Config(new Endpoint(server, 53), Duration.ofSeconds(1), 8, 1232));
        Message refused = ok(outsider.query(Name.of("www.example.test."), Type.A));
        assertEquals(Header.REFUSED, refused.header().rcode());
        assertTrue(refused.edns().orElseThrow().options().contains(new EdnsOption.ExtendedError(18, "")));

        // DNS over TLS, the certificate the resolver made checked against its name
        Bytes pem = ok(kv.get(SelfSigned.CERTIFICATE));
        TlsClientConfig tls = TlsClientConfig.of(Pem.readCertificates(pem.toUtf8()).orElseThrow(), new PeerName.Dns("localhost"));
        Flow tcp = ok(allowed.connectTcp(new Endpoint(server, 853)));
        TlsFlow dot = ok(TlsFlow.connect(tcp, tls, new TlsDevices(sim.scheduler(), sim.clock(), sim.random())));
        Bytes query = MessageCodec.encode(Message.query(77, Name.of("www.example.test."), Type.AAAA, Optional.empty()));
        ok(dot.write(Bytes.of((byte) (query.size() >> 8), (byte) query.size()).concat(query)));
        Bytes got = Bytes.EMPTY;
        while (got.size() < 2 || got.size() < 2 + (got.getUnsigned(0) << 8 | got.getUnsigned(1))) {
            ReadResult r = ok(dot.read());
            assertTrue(r instanceof ReadResult.Data, r.toString());
            got = got.concat(((ReadResult.Data) r).bytes());
        }
        Message overTls = MessageCodec.decode(got.slice(2, got.size())).orElseThrow();
        assertEquals(77, overTls.header().id());
        assertEquals(1, overTls.answers().size());
        sim.await(dot.close());

        assertEquals(List.of(Type.A, Type.TXT, Type.AAAA), core.calls.stream().map(c -> c.question().qtype()).distinct().toList(),
                "the stranger's question never reached the core");
        sim.await(booted.orElseThrow().stop());
    }
}
