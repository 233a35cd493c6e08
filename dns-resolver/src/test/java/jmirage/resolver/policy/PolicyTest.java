package jmirage.resolver.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Promise;
import jmirage.core.config.ConfigProblem;
import jmirage.dns.EdnsOption;
import jmirage.dns.Header;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Resolve;
import jmirage.resolver.core.Security;
import org.junit.jupiter.api.Test;

class PolicyTest {

    static final String STEVEN_BLACK = """
            # Title: StevenBlack/hosts
            127.0.0.1 localhost
            127.0.0.1 localhost.localdomain
            255.255.255.255 broadcasthost
            ::1 localhost
            fe80::1%lo0 localhost
            ff02::1 ip6-allnodes
            0.0.0.0 0.0.0.0
            # [ads]
            0.0.0.0 ads.example.com
            0.0.0.0 Tracker.Example.NET   # inline comment
            ::      v6.ads.example
            metrics.example.org
            """;

    static final String RPZ = """
            $TTL 300
            @ SOA ns.rpz.local. hostmaster.rpz.local. 1 3600 600 86400 300
              NS ns.rpz.local.
            gone.example           CNAME .
            *.gone.example         CNAME .
            empty.example          CNAME *.
            allowed.ads.example.com CNAME rpz-passthru.
            dropped.example        CNAME rpz-drop.
            garden.example         A 192.0.2.80
            garden.example         TXT "walled"
            alias.example          CNAME www.retreat.lan.
            *.wild.example         CNAME .
            32.1.2.0.192.rpz-ip    CNAME .
            """;

    static final String ZONE = """
            $TTL 600
            @    SOA ns.retreat.lan. admin.retreat.lan. 1 3600 600 86400 60
                 NS  ns
            ns   A   10.0.0.1
            www  A   10.0.0.80
            docs CNAME www
            """;

    static final String HOSTS = """
            10.0.0.23 laptop-ana.retreat.lan ana
            10.0.0.24 laptop-bo.retreat.lan
            fd00::24  laptop-bo.retreat.lan
            10.0.0.23 other-name.retreat.lan
            """;

    static final PolicyFiles FILES = new PolicyFiles(
            List.of(new PolicyFiles.File("blocklists/stevenblack", STEVEN_BLACK)),
            List.of(new PolicyFiles.File("rpz.local", RPZ)),
            List.of(new PolicyFiles.File("zones/retreat.lan", ZONE)),
            List.of(new PolicyFiles.File("leases/hosts", HOSTS)));

    static final Policy POLICY = Policy.of(FILES).orElseThrow();

    /** Recursion stand-in: answers every A question with 203.0.113.1 and records what it was asked. */
    final List<Question> asked = new ArrayList<>();
    final Resolve upstream = (q, cd) -> {
        asked.add(q);
        return Promise.resolved(new Resolution(q, Header.NOERROR,
                q.qtype() == Type.A ? List.of(Record.in(q.name(), 60, new Rdata.A((java.net.Inet4Address)
                        jmirage.core.net.IpAddresses.parse("203.0.113.1").orElseThrow()))) : List.of(),
                List.of(), List.of(), Security.SECURE, Optional.empty(), false));
    };

    Resolution ask(String name, int type) {
        Promise<Resolution> p = POLICY.around(upstream).resolve(new Question(Name.of(name), type), false);
        assertTrue(p.isResolved());
        return p.value();
    }

    static Optional<Integer> ede(Resolution r) {
        return r.error().map(EdnsOption.ExtendedError::infoCode);
    }

    @Test
    void hostsListsBlockTheirNamesExactlyWithBlocked() {
        Resolution r = ask("ads.example.com.", Type.A);
        assertEquals(Header.NXDOMAIN, r.rcode());
        assertEquals(Optional.of(Policy.EDE_BLOCKED), ede(r));
        assertEquals(Header.NXDOMAIN, ask("tracker.example.net.", Type.AAAA).rcode(), "case does not count");
        assertEquals(Header.NXDOMAIN, ask("v6.ads.example.", Type.A).rcode(), ":: is a sink too");
        assertEquals(Header.NXDOMAIN, ask("metrics.example.org.", Type.A).rcode(), "a line of a name alone");
        assertEquals(Header.NOERROR, ask("sub.ads.example.com.", Type.A).rcode(), "hosts files block exactly");
        assertEquals(Header.NOERROR, ask("localhost.localdomain.", Type.A).rcode(), "loopback boilerplate is not blocked");
        assertEquals(Header.NOERROR, ask("example.com.", Type.A).rcode());
        assertEquals(4, POLICY.blocklist().size(), "ads, tracker, v6.ads, metrics, not the boilerplate: "
                + POLICY.blocklist().skipped() + " skipped");
        assertEquals(List.of(Name.of("sub.ads.example.com."), Name.of("localhost.localdomain."), Name.of("example.com.")),
                asked.stream().map(Question::name).toList());
    }

    @Test
    void responsePolicyZonesRewriteWithFiltered() {
        Resolution nx = ask("gone.example.", Type.A);
        assertEquals(Header.NXDOMAIN, nx.rcode());
        assertEquals(Optional.of(Policy.EDE_FILTERED), ede(nx));
        assertEquals(Header.NXDOMAIN, ask("deep.below.gone.example.", Type.MX).rcode(), "the wildcard trigger");
        assertEquals(Header.NXDOMAIN, ask("x.wild.example.", Type.A).rcode());
        assertEquals(Header.NOERROR, ask("wild.example.", Type.A).rcode(), "*.NAME does not match NAME");
        Resolution nodata = ask("empty.example.", Type.A);
        assertEquals(Header.NOERROR, nodata.rcode());
        assertEquals(List.of(), nodata.answer());
        assertEquals(Optional.of(Policy.EDE_FILTERED), ede(nodata));
        assertEquals(Header.REFUSED, ask("dropped.example.", Type.A).rcode());
        Resolution garden = ask("garden.example.", Type.TXT);
        assertEquals(1, garden.answer().size());
        assertEquals(Name.of("garden.example."), garden.answer().getFirst().name());
        assertEquals(Header.NOERROR, ask("garden.example.", Type.AAAA).rcode());
        assertEquals(List.of(), ask("garden.example.", Type.AAAA).answer(), "NODATA for a type the local data lacks");
        assertEquals(List.of(Name.of("wild.example.")), asked.stream().map(Question::name).toList());
    }

    @Test
    void passthruLetsANameThroughTheHostsListsToo() {
        Resolution r = ask("allowed.ads.example.com.", Type.A);
        assertEquals(Header.NOERROR, r.rcode());
        assertEquals(List.of(Name.of("allowed.ads.example.com.")), asked.stream().map(Question::name).toList());
    }

    @Test
    void localZonesAreAnsweredAuthoritatively() {
        Resolution www = ask("www.retreat.lan.", Type.A);
        assertTrue(www.authoritative());
        assertEquals("www.retreat.lan. 600 IN A 10.0.0.80", www.answer().getFirst().toString());
        Resolution missing = ask("nobody.retreat.lan.", Type.A);
        assertEquals(Header.NXDOMAIN, missing.rcode());
        assertTrue(missing.authoritative());
        assertEquals(Type.SOA, missing.authority().getFirst().type(), "RFC 2308 3: the SOA for negative caching");
        Resolution nodata = ask("www.retreat.lan.", Type.MX);
        assertEquals(Header.NOERROR, nodata.rcode());
        assertEquals(List.of(), nodata.answer());
        assertEquals(2, ask("docs.retreat.lan.", Type.A).answer().size(), "the CNAME and its target, in the zone");
        assertEquals(List.of(), asked);
        assertFalse(ask("retreat.example.", Type.A).authoritative());
    }

    @Test
    void hostsFilesGiveAddressesAndTheirPointers() {
        Resolution ana = ask("ana.", Type.A);
        assertEquals("ana. 300 IN A 10.0.0.23", ana.answer().getFirst().toString());
        assertTrue(ana.authoritative());
        assertEquals(jmirage.core.net.IpAddresses.parse("fd00::24").orElseThrow(),
                ((Rdata.Aaaa) ask("laptop-bo.retreat.lan.", Type.AAAA).answer().getFirst().rdata()).address());
        Resolution ptr = ask("23.0.0.10.in-addr.arpa.", Type.PTR);
        assertEquals(List.of(new Rdata.Ptr(Name.of("laptop-ana.retreat.lan."))), ptr.answer().stream().map(Record::rdata).toList(),
                "the first line of an address names it");
        Resolution v6 = ask("4.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa.", Type.PTR);
        assertEquals(List.of(new Rdata.Ptr(Name.of("laptop-bo.retreat.lan."))), v6.answer().stream().map(Record::rdata).toList());
        Resolution mx = ask("laptop-bo.retreat.lan.", Type.MX);
        assertEquals(Header.NOERROR, mx.rcode());
        assertEquals(Type.SOA, mx.authority().getFirst().type(), "NODATA under a local zone carries its SOA");
        assertEquals(Header.NXDOMAIN, ask("gone.laptop-bo.retreat.lan.", Type.A).rcode(), "the zone answers below a host");
        assertEquals(List.of(), asked);
    }

    @Test
    void aCnameOutOfLocalDataIsFollowedThroughPolicyAndRecursion() {
        Resolution alias = ask("alias.example.", Type.A);
        assertEquals(List.of(Type.CNAME, Type.A), alias.answer().stream().map(Record::type).toList());
        assertEquals(List.of(), asked, "the target is local data");
        asked.clear();
        Policy cname = Policy.of(new PolicyFiles(List.of(), List.of(new PolicyFiles.File("rpz", "$TTL 60\nshort.link CNAME up.example.\n")),
                List.of(), List.of())).orElseThrow();
        Resolution blocked = cname.around(upstream).resolve(new Question(Name.of("short.link."), Type.A), false).value();
        assertEquals(List.of(Type.CNAME, Type.A), blocked.answer().stream().map(Record::type).toList());
        assertEquals(List.of(Name.of("up.example.")), asked.stream().map(Question::name).toList());
        assertEquals(Security.INDETERMINATE, blocked.security(), "a rewritten answer is never secure");
    }

    @Test
    void theOrderIsLocalDataThenPolicyZonesThenHostsLists() {
        Policy p = Policy.of(new PolicyFiles(List.of(new PolicyFiles.File("block", "0.0.0.0 www.retreat.lan\n0.0.0.0 x.example\n")),
                List.of(new PolicyFiles.File("rpz", "$TTL 60\nx.example CNAME rpz-passthru.\n")),
                List.of(new PolicyFiles.File("retreat.lan", ZONE)), List.of())).orElseThrow();
        assertInstanceOf(Policy.Decision.Rewrite.class, p.decide(new Question(Name.of("www.retreat.lan."), Type.A)));
        assertEquals(Policy.Kind.LOCAL, ((Policy.Decision.Rewrite) p.decide(new Question(Name.of("www.retreat.lan."), Type.A))).kind());
        assertInstanceOf(Policy.Decision.Pass.class, p.decide(new Question(Name.of("x.example."), Type.A)));
    }

    @Test
    void otherClassesPass() {
        assertInstanceOf(Policy.Decision.Pass.class, POLICY.decide(new Question(Name.of("www.retreat.lan."), Type.TXT, 3)));
    }

    @Test
    void badLinesAreRefusedWithTheirFileAndLine() {
        PolicyFiles bad = new PolicyFiles(
                List.of(new PolicyFiles.File("lists/a", "0.0.0.0 ok.example\n300.1.1.1 bad.example\n0.0.0.0 a..b\n")),
                List.of(new PolicyFiles.File("rpz", "$TTL 60\nbroken IN A 1.2.3\n")),
                List.of(new PolicyFiles.File("zones/lan", "$TTL 60\nwww A 10.0.0.1\n")),
                List.of(new PolicyFiles.File("hosts", "10.0.0.1 fine\nlonely.example\nfe80::1%eth0 link\n")));
        List<ConfigProblem> problems = Policy.check(bad);
        assertEquals(List.of("hosts:2: host name lonely.example. without an address",
                "hosts:3: scoped address fe80:0:0:0:0:0:0:1 cannot be served",
                "rpz:2: " + problemOf("$TTL 60\nbroken IN A 1.2.3\n"),
                "zones/lan: " + zoneProblem()), problems.stream().map(ConfigProblem::describe).toList());
        assertEquals(List.of(), Policy.check(FILES));
    }

    @Test
    void aBlocklistsBadLinesAreSkippedCountedAndTheFirstListed() {
        String text = "0.0.0.0 ok.example\n300.1.1.1 bad.example\n0.0.0.0 a..b\n" + "garbage here\n".repeat(5)
                + "0.0.0.0 last.example\n";
        Policy policy = Policy.of(new PolicyFiles(List.of(new PolicyFiles.File("lists/a", text)), List.of(), List.of(), List.of()))
                .orElseThrow(e -> new IllegalStateException(e.toString()));
        assertEquals(Optional.of("lists/a"), policy.blocklist().blockedBy(Name.of("ok.example.")));
        assertEquals(Optional.of("lists/a"), policy.blocklist().blockedBy(Name.of("last.example.")));
        assertEquals(1, policy.skipped().size());
        Policy.Skipped skipped = policy.skipped().getFirst();
        assertEquals(7, skipped.count());
        assertEquals(List.of(2, 3, 4), skipped.first().stream().map(HostsError::line).toList());
        assertTrue(skipped.describe().startsWith("lists/a: 7 bad lines skipped (line 2: not an IP address: 300.1.1.1; line 3: bad host name a..b"),
                skipped.describe());
        assertTrue(skipped.describe().endsWith("; line 4: not an IP address: garbage; ...)"), skipped.describe());
    }

    @Test
    void aLocalHostsFileThatIsNoHostsFileGivesAFewLinesAndACount() {
        String junk = "garbage here\n".repeat(1000);
        List<ConfigProblem> problems = Policy.check(new PolicyFiles(List.of(), List.of(), List.of(),
                List.of(new PolicyFiles.File("junk", junk))));
        assertEquals(Policy.MAX_ERRORS_PER_FILE + 1, problems.size());
        assertEquals("junk:20: not an IP address: garbage", problems.get(19).describe());
        assertEquals("junk: 980 more lines refused", problems.getLast().describe());
    }

    private static String problemOf(String text) {
        return jmirage.dns.zone.MasterFile.parse(text, Name.of("rpz."), jmirage.dns.zone.MasterFile.IncludeResolver.NONE)
                .mapError(e -> e.problem()).toString().replaceAll(".*error=(.*)]", "$1");
    }

    private static String zoneProblem() {
        return jmirage.authoritative.zone.Zone.parse("$TTL 60\nwww A 10.0.0.1\n", Name.of("lan."))
                .mapError(e -> e.describe()).toString().replaceAll(".*error=(.*)]", "$1");
    }
}
