package jmirage.openvpn.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.openvpn.data.AeadCipher;
import jmirage.openvpn.data.CompressionFraming;
import jmirage.openvpn.keys.PushReply;
import jmirage.openvpn.wire.ControlWrap;
import jmirage.openvpn.wire.KeyDirection;
import jmirage.openvpn.wire.StaticKey;
import jmirage.sim.Simulation;
import jmirage.tls.Credentials;
import jmirage.tls.SelfSigned;
import jmirage.tls.TlsClientConfig;
import jmirage.tls.TlsDevices;
import jmirage.tls.TlsServerConfig;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The session against {@link TestServer} (a server side from the same cores) over a link that
 * loses, duplicates and reorders datagrams, in the simulation's virtual time: the tunnel comes up
 * (the control channel's retransmissions carry TLS, key method 2 and the push through), and the
 * datagrams sent through it come back intact and at most once.
 */
class SessionUnderLossPropertiesTest {

    @Property(tries = 25)
    void theTunnelComesUpAndCarriesDatagramsDespiteLossDuplicationAndReordering(@ForAll long seed,
            @ForAll @IntRange(min = 0, max = 30) int lossPercent, @ForAll @IntRange(min = 0, max = 10) int duplicatePercent) {
        Simulation sim = new Simulation(seed, Instant.now());
        java.util.Random link = new java.util.Random(seed);
        StaticKey key = new StaticKey(sim.random().bytes(StaticKey.SIZE));
        Credentials credentials = SelfSigned.make(sim.random(), sim.clock().now(), List.of("server.test"));
        TlsDevices devices = new TlsDevices(sim.scheduler(), sim.clock(), sim.random());

        List<TestServer> server = new ArrayList<>(1);
        List<Session> client = new ArrayList<>(1);
        Consumer<Bytes> toServer = lossy(sim, link, lossPercent, duplicatePercent, b -> server.getFirst().input(b));
        Consumer<Bytes> toClient = lossy(sim, link, lossPercent, duplicatePercent, b -> client.getFirst().input(b));
        server.add(new TestServer(ControlWrap.TlsCrypt.of(key, KeyDirection.NORMAL), TlsServerConfig.of(credentials).withHandshakeTimeout(Duration.ofSeconds(300)), devices, toClient, b -> b));

        List<PushReply> ups = new ArrayList<>();
        List<Bytes> back = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Session.Settings settings = new Session.Settings(ControlWrap.TlsCrypt.client(key), false,
                new TlsClientConfig(List.of(credentials.leaf()), Optional.empty(), Optional.empty(), List.of(), Duration.ofSeconds(300)),
                List.of(AeadCipher.AES_256_GCM), Optional.empty(), Optional.empty(), Duration.ZERO, Duration.ZERO, Duration.ZERO,
                CompressionFraming.NONE, Duration.ofSeconds(600));
        client.add(new Session(settings, toServer, new Session.Events() {
            @Override
            public void up(PushReply push) {
                ups.add(push);
            }

            @Override
            public void packet(Bytes datagram) {
                back.add(datagram);
            }

            @Override
            public void failed(String reason, boolean fatal) {
                failures.add(reason);
            }
        }, devices, sim.log("client", LogLevel.WARN)));
        sim.scheduler().every(Duration.ofSeconds(1), () -> {
            client.getFirst().tick();
            server.getFirst().tick();
        });
        client.getFirst().start();
        // The control channel's back-off doubles up to 60 s (Reliability): under heavy loss the
        // handshake may take minutes of virtual time, so both TLS ends and the hand-window allow 300 s
        // and more (a real client reconnects when the hand-window runs out: the shell's business).
        for (int waited = 0; ups.isEmpty() && failures.isEmpty() && waited < 600; waited += 5) {
            sim.scheduler().runFor(Duration.ofSeconds(5));
        }

        assertEquals(List.of(), failures);
        assertEquals(1, ups.size(), "the tunnel came up once");
        assertEquals("10.36.8.2", ups.getFirst().ifconfig().orElseThrow().local().getHostAddress());
        Set<Bytes> sent = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            Bytes datagram = Bytes.utf8("datagram " + i + " of seed " + seed);
            sent.add(datagram);
            assertTrue(client.getFirst().sendIp(datagram));
        }
        sim.scheduler().runFor(Duration.ofSeconds(5));
        assertTrue(sent.containsAll(back), "only what was sent comes back");
        assertEquals(back.size(), new HashSet<>(back).size(), "each at most once");
        assertTrue(!back.isEmpty(), "some of 50 come back through a link losing " + lossPercent + " %");
        assertEquals(List.of(), failures);
    }

    /** Each datagram lost, or delivered once or twice after 1 to 80 ms (so reordered). */
    private static Consumer<Bytes> lossy(Simulation sim, java.util.Random link, int lossPercent, int duplicatePercent, Consumer<Bytes> to) {
        return datagram -> {
            if (link.nextInt(100) < lossPercent) {
                return;
            }
            int copies = link.nextInt(100) < duplicatePercent ? 2 : 1;
            for (int i = 0; i < copies; i++) {
                sim.scheduler().schedule(Duration.ofMillis(1 + link.nextInt(80)), () -> to.accept(datagram));
            }
        };
    }
}
