package jmirage.resolver.iterate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jmirage.core.Result;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import org.junit.jupiter.api.Test;

/** The pure parts: what a response means (Reply.classify) and how far its chain goes (Chain.follow). */
class ChainAndReplyTest {

    private static final Name COM = Name.of("com.");
    private static final Question WWW = new Question(Name.of("www.example.com."), Type.A);

    private static Message response(Question q, boolean aa, int rcode, List<Record> answers, List<Record> authority, List<Record> additional) {
        return new Message(new Header(1, true, 0, aa, false, false, false, false, false, false, rcode), List.of(q), answers, authority,
                additional, Optional.empty());
    }

    private static Record ns(String owner, String host) {
        return Record.in(Name.of(owner), 3600, new Rdata.Ns(Name.of(host)));
    }

    private static Record a(String owner, String address) {
        return Record.in(Name.of(owner), 3600, new Rdata.A((java.net.Inet4Address) ScriptedAuthorities.ip(address)));
    }

    @Test
    void aReferralKeepsOnlyGlueInsideTheReferringZone() {
        Message m = response(WWW, false, Header.NOERROR, List.of(), List.of(ns("example.com.", "ns1.example.com."), ns("example.com.", "ns.other.net.")),
                List.of(a("ns1.example.com.", "127.0.0.3"), a("ns.other.net.", "127.0.0.66")));
        Reply.Referral r = assertInstanceOf(Reply.Referral.class, Reply.classify(WWW, COM, m, false));
        assertEquals(Name.of("example.com."), r.child().zone());
        assertEquals(List.of(new Hints.Server(Name.of("ns1.example.com."), List.of(ScriptedAuthorities.ip("127.0.0.3"))),
                new Hints.Server(Name.of("ns.other.net."), List.of())), r.child().servers());
        assertEquals(3600, r.ttl());
    }

    @Test
    void upwardAndSidewaysReferralsAreLame() {
        Message up = response(WWW, false, Header.NOERROR, List.of(), List.of(ns(".", "a.root-servers.net.")), List.of());
        assertInstanceOf(Reply.Lame.class, Reply.classify(WWW, COM, up, false));
        Message sideways = response(WWW, false, Header.NOERROR, List.of(), List.of(ns("example.net.", "ns.example.net.")), List.of());
        assertInstanceOf(Reply.Lame.class, Reply.classify(WWW, COM, sideways, false));
        Message sameZone = response(WWW, false, Header.NOERROR, List.of(), List.of(ns("com.", "ns.com.")), List.of());
        assertInstanceOf(Reply.Lame.class, Reply.classify(WWW, COM, sameZone, false));
    }

    @Test
    void aReferralToTheChildForItsDsIsLame() {
        Question ds = new Question(Name.of("example.com."), Type.DS);
        Message m = response(ds, false, Header.NOERROR, List.of(), List.of(ns("example.com.", "ns1.example.com.")), List.of());
        assertInstanceOf(Reply.Lame.class, Reply.classify(ds, COM, m, false));
    }

    @Test
    void anAnswerFromACacheIsLameButAForwardersIsFinal() {
        Message cached = new Message(new Header(1, true, 0, false, false, false, true, false, false, false, 0), List.of(WWW),
                List.of(a("www.example.com.", "192.0.2.1")), List.of(), List.of(), Optional.empty());
        assertInstanceOf(Reply.Lame.class, Reply.classify(WWW, Name.of("example.com."), cached, false));
        assertInstanceOf(Reply.Final.class, Reply.classify(WWW, Name.ROOT, cached, true));
        // without RA, an answer lacking AA is taken, as unbound takes it
        Message plain = response(WWW, false, Header.NOERROR, List.of(a("www.example.com.", "192.0.2.1")), List.of(), List.of());
        assertInstanceOf(Reply.Final.class, Reply.classify(WWW, Name.of("example.com."), plain, false));
        Message servfail = response(WWW, false, Header.SERVFAIL, List.of(), List.of(), List.of());
        assertInstanceOf(Reply.Lame.class, Reply.classify(WWW, Name.ROOT, servfail, true));
    }

    @Test
    void recordsOutsideTheAnsweringZoneAreNotFollowed() {
        // example.com's server adds an answer for www.outside.com: not its zone, so the chain stops at the CNAME
        Question alias = new Question(Name.of("alias.example.com."), Type.A);
        Message m = response(alias, true, Header.NOERROR,
                List.of(Record.in(Name.of("alias.example.com."), 300, new Rdata.Cname(Name.of("www.outside.com."))), a("www.outside.com.", "6.6.6.6")),
                List.of(), List.of());
        Set<Name> seen = new HashSet<>(List.of(alias.name()));
        Chain.Followed f = Chain.follow(alias, Name.of("example.com."), m, seen, 16).orElseThrow();
        assertEquals(1, f.records().size());
        assertEquals(Name.of("www.outside.com."), f.reached());
        assertFalse(f.done());
    }

    @Test
    void aDnameThatMakesTooLongANameIsAnOverflow() {
        Name longLabel = Name.of("a".repeat(60) + "." + "b".repeat(60) + "." + "c".repeat(60) + ".example.com.");
        Question q = new Question(longLabel, Type.A);
        Record dname = Record.in(Name.of("example.com."), 300, new Rdata.Dname(Name.of("d".repeat(60) + ".long.example.net.")));
        Message m = response(q, true, Header.NOERROR, List.of(dname), List.of(), List.of());
        Result<Chain.Followed, Chain.Broken> r = Chain.follow(q, Name.of("example.com."), m, new HashSet<>(List.of(longLabel)), 16);
        assertInstanceOf(Chain.Broken.Overflow.class, ((Result.Err<Chain.Followed, Chain.Broken>) r).error());
    }

    @Test
    void aChainLongerThanAllowedIsCut() {
        Question q = new Question(Name.of("c0.example.com."), Type.A);
        List<Record> links = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            links.add(Record.in(Name.of("c" + i + ".example.com."), 300, new Rdata.Cname(Name.of("c" + (i + 1) + ".example.com."))));
        }
        Message m = response(q, true, Header.NOERROR, links, List.of(), List.of());
        Result<Chain.Followed, Chain.Broken> r = Chain.follow(q, Name.of("example.com."), m, new HashSet<>(List.of(q.name())), 16);
        assertEquals(Result.err(new Chain.Broken.TooLong(17)), r);
    }

    @Test
    void aNodataIsToldByContentNotByAa() {
        Name example = Name.of("example.com.");
        Record nsec = Record.in(Name.of("www.example.com."), 300, new Rdata.Nsec(Name.of("xx.example.com."), List.of(Type.TXT, Type.NSEC)));
        // RFC 2308 2.2: without AA and without SOA, only NSEC (as unbound's test scripts write it): NODATA
        assertInstanceOf(Reply.Final.class, Reply.classify(WWW, example, response(WWW, false, Header.NOERROR, List.of(), List.of(nsec), List.of()), false));
        assertInstanceOf(Reply.Final.class, Reply.classify(WWW, example, response(WWW, false, Header.NOERROR, List.of(), List.of(), List.of()), false));
        // the zone's own NS set: NODATA only from a server that says it is authoritative
        Message ownNs = response(WWW, false, Header.NOERROR, List.of(), List.of(ns("example.com.", "ns1.example.com.")), List.of());
        assertInstanceOf(Reply.Lame.class, Reply.classify(WWW, example, ownNs, false));
        Message ownNsAa = response(WWW, true, Header.NOERROR, List.of(), List.of(ns("example.com.", "ns1.example.com.")), List.of());
        assertInstanceOf(Reply.Final.class, Reply.classify(WWW, example, ownNsAa, false));
        // an empty answer from a recursive server's cache is not the zone's
        Message cached = new Message(new Header(1, true, 0, false, false, false, true, false, false, false, 0), List.of(WWW),
                List.of(), List.of(), List.of(), Optional.empty());
        assertInstanceOf(Reply.Lame.class, Reply.classify(WWW, example, cached, false));
    }

    @Test
    void signaturesAreTakenFromWhicheverSectionTheServerPutThemIn() {
        Record a = a("www.example.com.", "192.0.2.1");
        Record sig = Record.in(Name.of("www.example.com."), 3600, new Rdata.Rrsig(Type.A, 13, 3, 3600, 2_000_000_000L, 1_000_000_000L, 1,
                Name.of("example.com."), jmirage.core.Bytes.of((byte) 1)));
        Message m = response(WWW, true, Header.NOERROR, List.of(a), List.of(), List.of(sig));
        Chain.Followed f = Chain.follow(WWW, Name.of("example.com."), m, new HashSet<>(List.of(WWW.name())), 16).orElseThrow();
        assertEquals(List.of(a, sig), f.records());
    }

    @Test
    void anNxdomainForACnameTargetOutsideTheZoneIsNotTheZones() {
        // RFC 6604 2.1: the rcode is the last name's; a server is believed only for its own zone (RFC 2181 5.4.1)
        Record cname = Record.in(Name.of("www.example.com."), 300, new Rdata.Cname(Name.of("www.example.net.")));
        Message m = response(WWW, true, Header.NXDOMAIN, List.of(cname), List.of(), List.of());
        Chain.Followed f = Chain.follow(WWW, Name.of("example.com."), m, new HashSet<>(List.of(WWW.name())), 16).orElseThrow();
        assertEquals(Name.of("www.example.net."), f.reached());
        assertFalse(f.done(), "the target is asked of its own zone");
        Record inZone = Record.in(Name.of("www.example.com."), 300, new Rdata.Cname(Name.of("gone.example.com.")));
        Message nx = response(WWW, true, Header.NXDOMAIN, List.of(inZone), List.of(), List.of());
        assertTrue(Chain.follow(WWW, Name.of("example.com."), nx, new HashSet<>(List.of(WWW.name())), 16).orElseThrow().done());
    }

    @Test
    void aYxdomainWithTheDnameThatOverflowsIsFinal() {
        Question q = new Question(Name.of("www.example.com."), Type.A);
        Record dname = Record.in(Name.of("example.com."), 300, new Rdata.Dname(Name.of("long.example.net.")));
        Message m = response(q, true, jmirage.dns.Rcode.YXDOMAIN.value(), List.of(dname), List.of(), List.of());
        assertInstanceOf(Reply.Final.class, Reply.classify(q, Name.of("example.com."), m, false));
        Message bare = response(q, true, jmirage.dns.Rcode.YXDOMAIN.value(), List.of(), List.of(), List.of());
        assertInstanceOf(Reply.Lame.class, Reply.classify(q, Name.of("example.com."), bare, false));
    }
}
