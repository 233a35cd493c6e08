package jmirage.authoritative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import jmirage.authoritative.zone.RRset;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * dig (bind9-dnsutils) and kdig (knot-dnsutils) against the unikernel on the host target, over UDP
 * and TCP: every authoritative RRset of the test zone, every record type in it, comes back exactly.
 */
@Tag("peer")
class DigInteropTest {

    static final int PORT = 21053;
    private static Harness server;

    @BeforeAll
    static void start() throws Exception {
        Sh.requireCommand("dig", "bind9-dnsutils");
        Sh.requireCommand("kdig", "knot-dnsutils");
        server = Harness.onLoopback(PORT);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static final List<RRset> SETS = DigQueries.authoritativeSets(TestZones.zone());

    static Ran dig(List<String> options, List<String> queryArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("dig", "@127.0.0.1", "-p", String.valueOf(PORT), "+norec", "+time=5", "+tries=1"));
        cmd.addAll(options);
        // dig takes several queries on one command line: "name type name type ..."
        for (int i = 0; i < queryArgs.size(); i += 2) {
            cmd.add(queryArgs.get(i));
            cmd.add(queryArgs.get(i + 1));
            cmd.addAll(options);
        }
        Ran run = Command.of(cmd).run();
        assertEquals(0, run.exit(), run.err() + run.out());
        return run;
    }

    static Ran kdig(List<String> options, List<String> queryArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("kdig", "@127.0.0.1", "-p", String.valueOf(PORT), "+norec", "+time=5",
                "+retry=0"));
        cmd.addAll(options);
        cmd.addAll(queryArgs);
        Ran run = Command.of(cmd).run();
        assertEquals(0, run.exit(), run.err() + run.out());
        return run;
    }

    @Test
    void theTestZoneHoldsManyRecordTypes() {
        long types = SETS.stream().map(RRset::type).distinct().count();
        assertTrue(types >= 19, "types in the test zone: " + types);
    }

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({"dig, udp", "dig, tcp", "kdig, udp", "kdig, tcp"})
    void everyRRsetComesBack(String tool, String transport) throws Exception {
        List<String> options = new ArrayList<>(transport.equals("tcp") ? List.of("+tcp") : List.of());
        // each prints records of types it does not know in RFC 3597 form, which DigQueries reads
        options.addAll(List.of("+noall", "+answer", tool.equals("dig") ? "+unknownformat" : "+generic"));
        Ran run = tool.equals("dig") ? dig(options, DigQueries.arguments(SETS)) : kdig(options, DigQueries.arguments(SETS));
        assertEquals(DigQueries.records(SETS), DigQueries.parse(run.out()));
    }

    @Test
    void answersAreAuthoritativeAndReferralsAreNot() throws Exception {
        String answer = dig(List.of(), List.of("web.example.test.", "A")).out();
        assertTrue(answer.contains("flags: qr aa;"), answer);
        String referral = dig(List.of(), List.of("www.child.example.test.", "A")).out();
        assertTrue(referral.contains("flags: qr;"), referral);
        assertTrue(referral.contains("AUTHORITY: 2, ADDITIONAL: 3"), referral); // two NS, A + AAAA glue, OPT
        assertTrue(referral.contains("192.0.2.200") && referral.contains("2001:db8::200"), referral);
        String nx = kdig(List.of(), List.of("nope.example.test.", "A")).out();
        assertTrue(nx.contains("status: NXDOMAIN"), nx);
        String refused = kdig(List.of(), List.of("example.org.", "A")).out();
        assertTrue(refused.contains("status: REFUSED"), refused);
    }

    @Test
    void aTruncatedUdpAnswerMakesDigRetryOverTcp() throws Exception {
        Ran run = dig(List.of("+noedns"), List.of("long.example.test.", "TXT"));
        assertTrue(run.out().contains("Truncated, retrying in TCP mode"), run.out());
        assertTrue(run.out().contains("bbbbbbbb"), run.out());
    }

    @Test
    void theNsidGoesToThoseWhoAskForIt() throws Exception {
        AuthoritativeDns.Parameters p = new AuthoritativeDns.Parameters();
        p.port = PORT + 2;
        p.rrlPerSecond = 0;
        p.nsid = "ns1.fra";
        try (Harness named = Harness.start(Harness::loopback, java.util.Map.of("example.test", TestZones.text()), p)) {
            Ran asked = Command.of(List.of("kdig", "@127.0.0.1", "-p", String.valueOf(PORT + 2), "+nsid",
                    "web.example.test", "A")).run();
            assertTrue(asked.out().contains("NSID: 6E73312E667261 \"ns1.fra\""), asked.out());
            Ran notAsked = Command.of(List.of("kdig", "@127.0.0.1", "-p", String.valueOf(PORT + 2),
                    "web.example.test", "A")).run();
            assertTrue(!notAsked.out().contains("NSID"), notAsked.out());
        }
    }

    @Test
    void severalQueriesOnOneTcpConnectionAreAllAnswered() throws Exception {
        // kdig +keepopen sends its queries over one connection (RFC 7766 6.2.1)
        Ran run = kdig(List.of("+tcp", "+keepopen", "+noall", "+answer"), List.of("web.example.test.", "A",
                "web.example.test.", "AAAA", "mail.example.test.", "A"));
        assertEquals(3, DigQueries.parse(run.out()).size(), run.out());
    }
}
