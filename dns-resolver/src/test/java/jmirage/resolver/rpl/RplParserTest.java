package jmirage.resolver.rpl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jmirage.core.Result;
import jmirage.dns.Header;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Type;
import org.junit.jupiter.api.Test;

class RplParserTest {

    @Test
    void everyScenarioFileParses() {
        List<String> names = RplFiles.names();
        assertEquals(156, names.size(), "the scenarios copied from unbound");
        List<String> failures = new ArrayList<>();
        for (String name : names) {
            switch (RplParser.parse(name, RplFiles.text(name))) {
                case Result.Ok<Rpl, RplError>(Rpl rpl) -> {
                    if (rpl.steps().isEmpty() || rpl.title().isEmpty()) {
                        failures.add(name + ": no steps or no title");
                    }
                }
                case Result.Err<Rpl, RplError>(RplError e) -> failures.add(name + ": " + e.describe());
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void readsConfigurationRangesAndSteps() throws Exception {
        Rpl rpl = RplFiles.parse("val_negcache_nxdomain.rpl");
        assertEquals("Test validator with negative cache NXDOMAIN response (aggressive NSEC)", rpl.title());
        RplConfig config = rpl.config();
        assertEquals(Optional.of(Instant.parse("2018-02-13T11:14:25Z")), config.overrideDate());
        assertTrue(config.flag("aggressive-nsec", false));
        assertFalse(config.flag("qname-minimisation", true));
        assertEquals(1, config.trustAnchors().size());
        assertEquals(Type.DS, config.trustAnchors().getFirst().type());
        assertEquals(List.of(InetAddress.getByName("185.49.140.60")), config.stubZones().get(Name.of("testzone.nlnetlabs.nl")));

        assertEquals(1, rpl.ranges().size());
        RplRange range = rpl.ranges().getFirst();
        assertEquals(0, range.start());
        assertEquals(100, range.end());
        assertEquals(2, range.entries().size());
        RplEntry nx = range.entries().get(1);
        assertEquals(Set.of(RplEntry.Match.OPCODE, RplEntry.Match.QTYPE, RplEntry.Match.QNAME), nx.match());
        assertTrue(nx.copyId());
        assertFalse(nx.copyQuery());
        assertEquals(Header.NXDOMAIN, nx.flags().rcode());
        assertEquals(List.of(new Question(Name.of("antelope.testzone.nlnetlabs.nl"), Type.TXT)), nx.question());
        assertEquals(6, nx.authority().size());
        assertEquals(List.of(Type.NSEC, Type.RRSIG, Type.NSEC, Type.RRSIG, Type.SOA, Type.RRSIG),
                nx.authority().stream().map(r -> r.type()).toList());

        assertEquals(List.of(1, 10, 20, 30), rpl.steps().stream().map(RplStep::number).toList());
        RplStep.Query query = assertInstanceOf(RplStep.Query.class, rpl.steps().get(0));
        assertTrue(query.entry().flags().rd());
        assertTrue(query.entry().flags().dnssecOk());
        RplStep.CheckAnswer check = assertInstanceOf(RplStep.CheckAnswer.class, rpl.steps().get(1));
        assertTrue(check.entry().match().contains(RplEntry.Match.ALL));
        assertTrue(check.entry().flags().ad());
        assertEquals(Header.NXDOMAIN, check.entry().flags().rcode());
    }

    @Test
    void readsTimePassesAndTraffic() {
        assertTrue(RplFiles.parse("val_keyprefetch_verify.rpl").steps().stream()
                .anyMatch(s -> s instanceof RplStep.Traffic t && t.number() == 50));
        assertTrue(RplFiles.names().stream().map(RplFiles::parse).flatMap(r -> r.steps().stream())
                .anyMatch(s -> s instanceof RplStep.TimePasses t && t.elapse().equals(java.time.Duration.ofSeconds(10))));
        assertTrue(RplFiles.parse("val_any_dname.rpl").steps().contains(
                new RplStep.TimePasses(2, java.time.Duration.ofMillis(50))));
    }

    @Test
    void theEntryBeginTypoStillOpensAnEntry() {
        // val_cnametocnamewctoposwc.rpl writes ENTRY_BEGING once; testbound reads keywords as prefixes
        Rpl rpl = RplFiles.parse("val_cnametocnamewctoposwc.rpl");
        long entries = rpl.ranges().stream().mapToLong(r -> r.entries().size()).sum();
        long begins = RplFiles.text("val_cnametocnamewctoposwc.rpl").lines()
                .filter(l -> l.startsWith("ENTRY_BEGIN")).count();
        assertEquals(begins - 2 * rpl.steps().stream().filter(s -> s instanceof RplStep.Query).count(), entries);
    }

    @Test
    void aMissingTtlIsTestboundsDefault() {
        String text = """
                server:
                \ttrust-anchor: "example.com. DS 1 8 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                CONFIG_END
                SCENARIO_BEGIN t
                RANGE_BEGIN 0 10
                \tADDRESS 192.0.2.1
                ENTRY_BEGIN
                MATCH opcode qtype qname
                REPLY QR AA NOERROR
                SECTION QUESTION
                www.example.com. IN A
                SECTION ANSWER
                www.example.com. IN A 192.0.2.7 ; a comment
                \twww.example.com. IN TXT "a;b"
                ENTRY_END
                RANGE_END
                STEP 1 QUERY
                ENTRY_BEGIN
                REPLY RD
                SECTION QUESTION
                www.example.com. IN A
                ENTRY_END
                SCENARIO_END
                """;
        Rpl rpl = RplParser.parse("t", text).orElseThrow();
        assertEquals(RplParser.DEFAULT_TTL, rpl.config().trustAnchors().getFirst().ttl());
        RplEntry entry = rpl.ranges().getFirst().entries().getFirst();
        assertEquals(2, entry.answer().size());
        assertEquals(RplParser.DEFAULT_TTL, entry.answer().getFirst().ttl());
        assertEquals("www.example.com. 3600 IN TXT \"a;b\"", entry.answer().get(1).toString());
    }

    @Test
    void errorsNameTheLine() {
        String text = "server:\nCONFIG_END\nSCENARIO_BEGIN t\nSTEP 1 QUERY\nENTRY_BEGIN\nMATCH nonsense\nENTRY_END\nSCENARIO_END\n";
        assertEquals(Result.err(new RplError.UnknownKeyword(6, "MATCH nonsense")), RplParser.parse("t", text));
        assertEquals(Result.err(new RplError.Unterminated(4, "SCENARIO_BEGIN")),
                RplParser.parse("t", "server:\nCONFIG_END\nSCENARIO_BEGIN t\n"));
    }
}
