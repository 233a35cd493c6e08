package jmirage.resolver.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jmirage.resolver.interop.PeerResolvers.UnderTest;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dig and kdig against our resolver on the host target, resolving for real through the loopback
 * {@link Hierarchy} (not a scripted core): UDP and TCP with dig, DNS over TLS (RFC 7858) with
 * {@code kdig +tls}, DNS over HTTPS (RFC 8484) with {@code kdig +https}; a signed name comes back
 * with AD, a bogus one as SERVFAIL with its Extended DNS Error (RFC 8914), and with CD as data.
 */
@Tag("peer")
class DigAgainstHierarchyTest {

    static final String OURS = PeerResolvers.RESOLVERS + "3";
    static final int DOT_PORT = 853;
    static final int DOH_PORT = 443;

    @TempDir
    static Path temp;

    private static Hierarchy hierarchy;
    private static UnderTest ours;

    @BeforeAll
    static void start() throws Exception {
        Sh.requireCommand("dig", "bind9-dnsutils");
        Sh.requireCommand("kdig", "knot-dnsutils");
        hierarchy = Hierarchy.start(temp.resolve("hierarchy"));
        ours = OurResolver.start(hierarchy, PeerResolvers.resolverAddress(3), DOT_PORT, DOH_PORT);
    }

    @AfterAll
    static void stop() throws Exception {
        if (ours != null) {
            ours.close();
        }
        if (hierarchy != null) {
            hierarchy.close();
        }
    }

    private static Ran dig(String... args) {
        List<String> argv = new ArrayList<>(List.of("dig", "@" + OURS, "+time=5", "+tries=2"));
        argv.addAll(List.of(args));
        return Command.of(argv).run().ok();
    }

    private static Ran kdig(String... args) {
        List<String> argv = new ArrayList<>(List.of("kdig", "@" + OURS, "+time=5", "+retry=1"));
        argv.addAll(List.of(args));
        return Command.of(argv).run().ok();
    }

    /** dig's and kdig's output alike (kdig writes "Flags:" and "status: NOERROR;"); names compare without case (RFC 4343). */
    private static void assertSecureAnswer(Ran ran) {
        String out = ran.out();
        assertTrue(out.contains("status: NOERROR"), out + ours.log().get());
        assertTrue(out.matches("(?si).*flags: qr rd ra ad;.*"), "AD set: " + out);
        assertTrue(out.matches("(?si).*www\\.secure\\.example\\.\\s+\\d+\\s+IN\\s+A\\s+192\\.0\\.2\\.1.*"), out);
        assertTrue(out.matches("(?si).*www\\.secure\\.example\\.\\s+\\d+\\s+IN\\s+RRSIG\\s+A 13 3 3600 .*"), "RRSIG with DO: " + out);
    }

    @Test
    void digOverUdpGetsASignedAnswerWithAd() {
        assertSecureAnswer(dig("+dnssec", "www.secure.example", "A"));
    }

    @Test
    void digOverTcpGetsASignedAnswerWithAd() {
        assertSecureAnswer(dig("+tcp", "+dnssec", "www.secure.example", "A"));
    }

    @Test
    void digGetsServfailWithTheExtendedErrorForBogusData() {
        String out = dig("+dnssec", "www.bogus.example", "A").out();
        assertTrue(out.contains("status: SERVFAIL"), out);
        // RFC 8914 4.7: 6 DNSSEC Bogus
        assertTrue(out.contains("EDE: 6"), "EDE 6 (DNSSEC Bogus): " + out);
    }

    @Test
    void digWithCdGetsTheBogusDataWithoutAd() {
        String out = dig("+dnssec", "+cd", "www.bogus.example", "A").out();
        assertTrue(out.contains("status: NOERROR"), out);
        assertTrue(out.contains(Hierarchy.TAMPERED_ADDRESS), out);
        assertTrue(!out.matches("(?s).*flags:[a-z ]* ad[ ;].*"), "no AD on unvalidated data: " + out);
    }

    @Test
    void kdigOverTlsGetsASignedAnswerWithAd() {
        Ran ran = kdig("-p", String.valueOf(DOT_PORT), "+tls", "+dnssec", "www.secure.example", "A");
        assertTrue(ran.out().contains("TLS session"), "a TLS session: " + ran.out());
        assertSecureAnswer(ran);
    }

    @Test
    void kdigOverHttpsGetsASignedAnswerWithAd() {
        Ran ran = kdig("-p", String.valueOf(DOH_PORT), "+https", "+dnssec", "www.secure.example", "A");
        assertTrue(ran.out().contains("TLS session") && ran.out().contains("HTTP session (HTTP/2-POST)"), "HTTP/2 over TLS: " + ran.out());
        assertSecureAnswer(ran);
    }
}
