package jmirage.pinata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jmirage.core.LogRecord;
import jmirage.core.net.IpPrefix;
import jmirage.sim.MemoryFlow;
import org.junit.jupiter.api.Test;

/**
 * Resource bounds an attacker with time and many connections would otherwise exhaust: admission by
 * peer (an IPv6 /64 counts as one peer), the page's connections, and the log.
 */
class HardeningTest {

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    @Test
    void oneIpv6Slash64IsOnePeer() {
        Admission a = new Admission(1000, 4);
        for (int i = 1; i <= 4; i++) {
            assertTrue(a.admit(ip("2001:db8:1:2::" + Integer.toHexString(i))).isEmpty());
        }
        Bounty.Refusal sameSlash64 = a.admit(ip("2001:db8:1:2:ffff:ffff:ffff:ffff")).orElseThrow();
        assertEquals(Reasons.PEER_LIMIT, sameSlash64.reason(), "another address of the same /64 is the same peer");
        assertEquals("4 connections from 2001:db8:1:2::/64 already in flight", sameSlash64.detail());
        assertEquals(IpPrefix.of(ip("2001:db8:1:2::"), 64), Admission.peerOf(ip("2001:db8:1:2:ffff:ffff:ffff:ffff")));
        assertTrue(a.admit(ip("2001:db8:1:3::1")).isEmpty(), "the next /64 is another peer");
        a.release(ip("2001:db8:1:2::9"));   // any address of the /64 gives its slot back
        assertTrue(a.admit(ip("2001:db8:1:2::77")).isEmpty());
    }

    @Test
    void anIpv4MappedIpv6AddressIsItsIpv4Address() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 1};
        java.net.Inet6Address v6 = java.net.Inet6Address.getByAddress(null, mapped, -1);
        assertEquals(IpPrefix.of(ip("192.0.2.1"), 32), Admission.peerOf(v6));
        byte[] other = mapped.clone();
        other[15] = 2;
        assertTrue(!Admission.peerOf(v6).equals(Admission.peerOf(java.net.Inet6Address.getByAddress(null, other, -1))),
                "two IPv4 peers, not one ::ffff:0:0/64");
    }

    @Test
    void ipv4AddressesCountOneByOneAndTheTotalIsBounded() {
        Admission a = new Admission(6, 2);
        assertTrue(a.admit(ip("192.0.2.1")).isEmpty());
        assertTrue(a.admit(ip("192.0.2.1")).isEmpty());
        assertEquals(new Bounty.Refusal(Reasons.PEER_LIMIT, "2 connections from 192.0.2.1 already in flight"),
                a.admit(ip("192.0.2.1")).orElseThrow());
        for (int i = 2; i <= 5; i++) {
            assertTrue(a.admit(ip("192.0.2." + i)).isEmpty());
        }
        assertEquals(Reasons.OVERLOADED, a.admit(ip("192.0.2.9")).orElseThrow().reason());
        assertEquals(6, a.inFlight());
        a.release(ip("192.0.2.1"));
        a.release(ip("198.51.100.1"));   // never admitted: changes nothing
        assertEquals(5, a.inFlight());
        assertTrue(a.admit(ip("192.0.2.9")).isEmpty());
    }

    /** Thousands of refused connections are all counted, but they do not write thousands of log lines. */
    @Test
    void aFloodOfRefusalsDoesNotFloodTheLog() {
        SimHarness h = new SimHarness(11);
        int n = 2000;
        List<MemoryFlow> attackers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            attackers.add(h.attempt(Role.SERVER));   // one address: all but 32 refused at once
        }
        h.sim.scheduler().runFor(Duration.ofSeconds(20));   // the 32 in flight time out
        Stats s = h.bounty.stats();
        assertEquals(n, s.connections(Role.SERVER.port()));
        assertEquals(n, s.failures(Role.SERVER), s.encode().toUtf8());
        long lines = h.sim.records().stream().filter(r -> r.message().contains("refused (")).count();
        assertTrue(lines <= Bounty.LOG_BURST + 20L * Bounty.LOG_PER_SECOND, "log lines for " + n + " refusals: " + lines);
        assertTrue(h.sim.records().stream().map(LogRecord::message).anyMatch(m -> m.contains("refusals not logged")),
                "the log says lines were left out");
    }

    /**
     * Stalled connections to the page (HTTP and HTTPS, where each costs a TLS handshake) from one
     * address: beyond {@link Bounty#PAGE_PER_PEER} they are closed at once, and the page still
     * answers another address.
     */
    @Test
    void stalledPageConnectionsAreBoundedPerPeer() throws Exception {
        try (HostPinata p = HostPinata.start("--test")) {
            for (int port : new int[] {p.httpPort, p.httpsPort}) {
                List<Socket> stalled = new ArrayList<>();
                try {
                    int closedAtOnce = 0;
                    for (int i = 0; i < Bounty.PAGE_PER_PEER + 4; i++) {
                        Socket s = new Socket(p.address, port, ip("127.0.0.1"), 0);
                        stalled.add(s);
                    }
                    Thread.sleep(1500);   // long enough for an at-once close, well within every timeout
                    for (Socket s : stalled) {
                        s.setSoTimeout(50);
                        try {
                            if (s.getInputStream().read() == -1) {
                                closedAtOnce++;
                            }
                        } catch (SocketTimeoutException held) {
                            // still open: one of the first PAGE_PER_PEER
                        } catch (java.net.SocketException reset) {
                            closedAtOnce++;
                        }
                    }
                    assertEquals(4, closedAtOnce, "connections over the per-peer limit on port " + port);
                    if (port == p.httpPort) {
                        try (Socket other = new Socket(p.address, port, ip("127.0.0.2"), 0)) {
                            other.setSoTimeout(5000);
                            other.getOutputStream().write("GET /stats HTTP/1.1\r\nHost: pinata\r\nConnection: close\r\n\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
                            InputStream in = other.getInputStream();
                            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
                        }
                    }
                } finally {
                    for (Socket s : stalled) {
                        s.close();
                    }
                }
            }
        }
    }

    @Test
    void connectBackOnlyToASingleHost() {
        java.util.function.Supplier<List<InetAddress>> onTheLan = () -> List.of(ip("10.0.0.2"));
        for (String bad : new String[] {"224.0.0.1", "239.255.255.250", "255.255.255.255", "0.0.0.0", "0.1.2.3",
                "240.0.0.1", "ff02::1", "::", "127.0.0.1"}) {
            assertTrue(Bounty.connectBackRefusal(ip(bad), onTheLan).isPresent(), bad);
        }
        for (String good : new String[] {"10.0.0.3", "192.0.2.7", "169.254.1.1", "2001:db8::1"}) {
            assertTrue(Bounty.connectBackRefusal(ip(good), onTheLan).isEmpty(), good);
        }
        assertTrue(Bounty.connectBackRefusal(ip("127.0.0.1"), () -> List.of(ip("127.77.1.2"))).isEmpty(),
                "a pinata on loopback connects back to loopback peers");
    }

    /** A knock on 10001 that claims to come from a multicast address: refused, counted, no connection made. */
    @Test
    void aKnockFromAGroupAddressIsNotConnectedBack() {
        SimHarness h = new SimHarness(5);   // its stack is null: any connection attempt would be a bug
        MemoryFlow[] pipe = MemoryFlow.pair(h.sim.scheduler());
        MemoryFlow real = pipe[1];
        jmirage.core.net.Flow spoofed = new jmirage.core.net.Flow() {
            public jmirage.core.net.Endpoint local() { return real.local(); }
            public jmirage.core.net.Endpoint remote() { return new jmirage.core.net.Endpoint(ip("224.0.0.1"), 5555); }
            public jmirage.core.Promise<jmirage.core.Result<jmirage.core.net.ReadResult, jmirage.core.net.FlowError>> read() { return real.read(); }
            public jmirage.core.Promise<jmirage.core.Result<jmirage.core.Unit, jmirage.core.net.FlowError>> write(jmirage.core.Bytes b) { return real.write(b); }
            public jmirage.core.Promise<jmirage.core.Result<jmirage.core.Unit, jmirage.core.net.FlowError>> shutdownOutput() { return real.shutdownOutput(); }
            public jmirage.core.Promise<jmirage.core.Unit> close() { return real.close(); }
        };
        h.bounty.attempt(Role.CONNECT_BACK, spoofed);
        h.sim.scheduler().runFor(Duration.ofSeconds(1));
        Stats s = h.bounty.stats();
        assertEquals(1, s.failures(Role.CONNECT_BACK, Reasons.CONNECT_BACK_REFUSED), s.encode().toUtf8());
        assertEquals(1, s.failures(Role.CONNECT_BACK));
    }

    /**
     * Every reason the pinata can count comes from a closed vocabulary (alert names, path failures,
     * fixed keys), and all of it fits under {@link Stats#MAX_REASONS}: an attacker sending every
     * alert there is cannot push a later, real reason (a first expired certificate) into "other"
     * in the persisted statistics.
     */
    @Test
    void everyReachableReasonFitsUnderTheCap() {
        java.util.Set<String> reasons = new java.util.TreeSet<>(List.of(Reasons.CONNECT_BACK_FAILED, Reasons.CONNECT_BACK_REFUSED,
                Reasons.OVERLOADED, Reasons.PEER_LIMIT, Reasons.UNVERIFIED, Reasons.SEND_FAILED, Reasons.TO_ITSELF, "internal-error"));
        reasons.add(Reasons.of(new jmirage.tls.TlsFailure.Timeout(Duration.ofSeconds(1))));
        reasons.add(Reasons.of(new jmirage.tls.TlsFailure.TransportClosed()));
        reasons.add(Reasons.of(new jmirage.tls.TlsFailure.TransportFailed(new jmirage.core.net.FlowError.Closed())));
        reasons.add(Reasons.of(new jmirage.tls.TlsFailure.PeerCertificateMissing()));
        for (Class<?> f : jmirage.tls.x509.PathFailure.class.getPermittedSubclasses()) {
            reasons.add("certificate-" + Reasons.kebab(f.getSimpleName()));
        }
        for (int alert = 0; alert < 256; alert++) {
            String name = org.bouncycastle.tls.AlertDescription.getName((short) alert);
            reasons.add(Reasons.of(new jmirage.tls.TlsFailure.AlertSent(alert, name, "")));
            reasons.add(Reasons.of(new jmirage.tls.TlsFailure.AlertReceived(alert, name)));
        }
        assertTrue(reasons.size() <= Stats.MAX_REASONS, reasons.size() + " reachable reasons, cap " + Stats.MAX_REASONS);
        Stats s = Stats.EMPTY;
        for (String r : reasons) {
            s = s.failure(Role.SERVER, r);
        }
        assertEquals(0, s.failures(Role.SERVER, "other"));
    }
}
