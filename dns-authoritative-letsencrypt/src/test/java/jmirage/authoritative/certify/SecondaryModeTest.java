package jmirage.authoritative.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jmirage.authoritative.AuthoritativeDns;
import jmirage.authoritative.keys.Keys;
import jmirage.authoritative.secondary.SecondaryZone;
import jmirage.authoritative.store.ZoneOptions;
import jmirage.authoritative.zone.Zone;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Key;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.kv.MemKv;
import jmirage.sim.Simulation;
import org.junit.jupiter.api.Test;

/** Secondary mode's decisions as plain values: which primary and key a change goes to, what `check` reports, what a copy shows. */
class SecondaryModeTest {

    static final String SECRET = "c2Vjb25kYXJ5IG1vZGUgdGVzdCBrZXk=";
    static final Keys KEYS = Keys.parse("""
            certify._update.prim.test. DNSKEY 0 3 163 %s
            xfr._transfer.other.test. DNSKEY 0 3 163 %s
            deep._update.sub.prim.test. DNSKEY 0 3 163 %s
            """.formatted(SECRET, SECRET, SECRET), Name.ROOT).orElseThrow();
    static final List<SecondaryZone> SECONDARIES = List.of(
            zone("prim.test@127.17.4.1#certify._update.prim.test"),
            zone("sub.prim.test@127.17.4.2#deep._update.sub.prim.test"),
            zone("other.test@127.17.4.3#xfr._transfer.other.test"),
            zone("nokey.test@127.17.4.4"),
            zone("lost.test@127.17.4.5#gone._update.lost.test"));

    static SecondaryZone zone(String option) {
        return SecondaryZone.parse(option).orElseThrow();
    }

    static Record txt(String name) {
        return Record.in(Name.of(name), 60, new Rdata.Txt(List.of(Bytes.utf8("v"))));
    }

    static String error(Result<SecondaryZoneWriter.Target, String> r) {
        return ((Result.Err<SecondaryZoneWriter.Target, String>) r).error();
    }

    @Test
    void aChangeGoesToTheNearestSecondaryZonesPrimaryWithItsKey() {
        var t = SecondaryZoneWriter.target(SECONDARIES, KEYS, List.of(txt("_acme-challenge.www.prim.test.")));
        assertEquals(SECONDARIES.get(0), t.orElseThrow().zone());
        assertEquals(Name.of("certify._update.prim.test."), t.orElseThrow().key().name());
        var deep = SecondaryZoneWriter.target(SECONDARIES, KEYS, List.of(txt("_acme-challenge.www.sub.prim.test.")));
        assertEquals(SECONDARIES.get(1), deep.orElseThrow().zone(), "the zone cut below prim.test is its own zone");
    }

    @Test
    void aChangeThatCannotBeSignedOrSpansZonesIsNotSent() {
        assertEquals("www.example.org. is in no zone we are secondary for",
                error(SecondaryZoneWriter.target(SECONDARIES, KEYS, List.of(txt("www.example.org.")))));
        assertEquals("a.sub.prim.test. is not in prim.test.: one change is one zone",
                error(SecondaryZoneWriter.target(SECONDARIES, KEYS, List.of(txt("a.prim.test."), txt("a.sub.prim.test.")))));
        assertTrue(error(SecondaryZoneWriter.target(SECONDARIES, KEYS, List.of(txt("a.nokey.test.")))).contains("names no key"));
        assertTrue(error(SecondaryZoneWriter.target(SECONDARIES, KEYS, List.of(txt("a.lost.test.")))).contains("in no keys file"));
        assertTrue(error(SecondaryZoneWriter.target(SECONDARIES, KEYS, List.of(txt("a.other.test.")))).contains("is no update key"));
    }

    @Test
    void checkReportsSecondariesWhoseKeyCannotSignUpdates() {
        ZoneOptions options = new ZoneOptions();
        options.secondaries.addAll(List.of("prim.test@127.17.4.1#certify._update.prim.test", "other.test@127.17.4.3#xfr._transfer.other.test",
                "nokey.test@127.17.4.4", "lost.test@127.17.4.5#gone._update.lost.test"));
        List<ConfigProblem> problems = SecondaryMode.problems(options, KEYS);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).reason().startsWith("other.test@127.17.4.3#xfr._transfer.other.test: the certify role signs"), problems.toString());
        assertTrue(problems.get(1).reason().startsWith("nokey.test@127.17.4.4: with the certify role on"), problems.toString());
        assertTrue(problems.stream().allMatch(p -> p.source().equals("--secondary")));
    }

    @Test
    void theUnikernelsCheckReportsThemOnlyWithTheCertifyRoleOn() {
        Simulation sim = new Simulation(11);
        MemKv kv = new MemKv(sim.clock());
        sim.scheduler().runUntil(kv.set(Key.of("_keys"),
                Bytes.utf8("xfr._transfer.other.test. DNSKEY 0 3 163 " + SECRET + "\n")));
        AuthoritativeDns dns = new AuthoritativeDns();
        AuthoritativeDns.Parameters p = dns.parameters();
        p.zone.secondaries.add("other.test@127.17.4.3#xfr._transfer.other.test");
        assertEquals(List.of(), sim.scheduler().runUntil(dns.check(sim.devices("dns", s -> kv), p)).value(), "role off: a transfer key is fine");
        p.certify.directory = "https://127.17.4.9:14000/dir";
        List<ConfigProblem> on = sim.scheduler().runUntil(dns.check(sim.devices("dns", s -> kv), p)).value();
        assertEquals(List.of("--secondary"), on.stream().map(ConfigProblem::source).toList(), on.toString());
        assertTrue(on.getFirst().reason().contains("which is no update key for other.test."), on.toString());
    }

    @Test
    void aCopyShowsAChangeByNameTypeAndDataWhateverTheTtl() {
        Zone copy = Pki.zone("prim.test.", txt("a.prim.test."));
        Record sameDataOtherTtl = Record.in(Name.of("a.prim.test."), 3600, txt("a.prim.test.").rdata());
        assertTrue(SecondaryZoneWriter.shows(copy, List.of(), List.of(sameDataOtherTtl)));
        assertFalse(SecondaryZoneWriter.shows(copy, List.of(txt("a.prim.test.")), List.of()), "a removed record still there");
        assertFalse(SecondaryZoneWriter.shows(copy, List.of(), List.of(txt("b.prim.test."))), "an added record not yet there");
        assertTrue(SecondaryZoneWriter.shows(copy, List.of(txt("b.prim.test.")), List.of(txt("a.prim.test."))));
    }
}
