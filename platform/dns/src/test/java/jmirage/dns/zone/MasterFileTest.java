package jmirage.dns.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.dns.DnsClass;
import jmirage.dns.Name;
import jmirage.dns.NameError;
import jmirage.dns.Rdata;
import jmirage.dns.RdataCodec;
import jmirage.dns.Record;
import jmirage.dns.RdataTextError;
import jmirage.dns.Type;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Master;

class MasterFileTest {

    static List<Record> parse(String file, String origin) {
        return MasterFile.parse(TestData.read(file), Name.of(origin), TestData.folder(TestData.DIR)).orElseThrow();
    }

    /** dnsjava's Master parser, as an independent count and an independent reading of every record. */
    static List<String> dnsjava(String file, String origin) throws Exception {
        List<String> out = new ArrayList<>();
        try (Master m = new Master(TestData.DIR.resolve(file).toString(), new org.xbill.DNS.Name(origin))) {
            org.xbill.DNS.Record r;
            while ((r = m.nextRecord()) != null) {
                out.add(HexFormat.of().formatHex(r.toWire(org.xbill.DNS.Section.ANSWER)));
            }
        }
        out.sort(null);
        return out;
    }

    static List<String> ours(List<Record> records) {
        List<String> out = new ArrayList<>();
        for (Record r : records) {
            Bytes rdata = RdataCodec.toWire(r.rdata(), false);
            byte[] name = r.name().toWire();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(name.length + 10 + rdata.size());
            b.put(name).putShort((short) r.type()).putShort((short) r.rrClass()).putInt((int) r.ttl())
                    .putShort((short) rdata.size()).put(rdata.toArray());
            out.add(HexFormat.of().formatHex(b.array()));
        }
        out.sort(null);
        return out;
    }

    @ParameterizedTest
    @CsvSource({
        "zonefileEx1, example.com., 11",
        "zonefileEx2, example.com., 29",
        "zonefileEx3, example.com., 5",
        "zonefileIncludeDirective, example.com., 11",
        "zonefileIncludeDirectiveComment, example.com., 11",
        "root.zone, ., -1"})
    void parsesTheTestZonesLikeDnsjava(String file, String origin, int expected) throws Exception {
        List<Record> records = parse(file, origin);
        List<String> theirs = dnsjava(file, origin);
        if (expected >= 0) {
            assertEquals(expected, records.size(), file);
        }
        assertEquals(theirs.size(), records.size(), file + ": record count beside dnsjava's Master");
        assertEquals(theirs, ours(records), file + ": every record, as wire bytes, beside dnsjava's");
    }

    @Test
    void rootZoneHasTheExpectedShape() {
        List<Record> root = parse("root.zone", ".");
        assertEquals(Type.SOA, root.get(0).type());
        assertTrue(root.size() > 20000, "root zone records: " + root.size());
        long zonemd = root.stream().filter(r -> r.type() == Type.ZONEMD).count();
        assertEquals(1, zonemd);
        assertInstanceOf(Rdata.Opaque.class, root.stream().filter(r -> r.type() == Type.ZONEMD).findFirst().get().rdata());
    }

    @Test
    @Tag("peer")
    void rootZonePrintedBackIsAcceptedByNamedCheckzoneAndReparsesToTheSameRecords() throws Exception {
        List<Record> root = parse("root.zone", ".");
        String text = MasterFile.print(root);
        List<Record> again = MasterFile.parse(text, Name.ROOT, MasterFile.IncludeResolver.NONE).orElseThrow();
        assertEquals(ours(root), ours(again));
        assertEquals(text, MasterFile.print(again), "printing is canonical: a second round gives the same text");
        Path tmp = Files.createTempFile("root", ".zone");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Sh.requireCommand("named-checkzone", "bind9-utils");
            Ran check = Command.of("named-checkzone", "-i", "none", ".", tmp.toString()).timeout(Duration.ofSeconds(120)).run().ok();
            assertTrue(check.out().contains("OK"), check::describe);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Test
    void dnssecAlgorithmsMayBeMnemonicsAndDlvIsReadAsDs() {
        // RFC 4034 2.2, 3.2, 5.3: the algorithm field is a number or its mnemonic; unbound's tests use both
        String zone = """
                example. 3600 IN DNSKEY 256 3 RSASHA1 AQPQ41chR9DEHt/aIzIFAqanbDlRflJoRs5yz1jFsoRIT7dWf0r+PeDuewdxkszNH6wnU4QL8pfKFRh5PIYVBLK3
                example. 3600 IN DS 2854 dsa 1 46e4ffc6e9a4793b488954bd3f0cc6af0dfb201b
                example. 3600 IN RRSIG DS ECDSAP256SHA256 1 3600 20070926134150 20070829134150 2854 example. AAAA
                example. 3600 IN DLV 2854 3 1 46e4ffc6e9a4793b488954bd3f0cc6af0dfb201b
                """;
        List<Record> records = MasterFile.parse(zone, Name.ROOT, MasterFile.IncludeResolver.NONE).orElseThrow();
        assertEquals(5, ((Rdata.Dnskey) records.get(0).rdata()).algorithm());
        assertEquals(3, ((Rdata.Ds) records.get(1).rdata()).algorithm());
        assertEquals(13, ((Rdata.Rrsig) records.get(2).rdata()).algorithm());
        // RFC 4431 2: DLV's rdata is DS's, so its wire form is DS's under type 32769
        assertEquals(new Rdata.Opaque(Type.DLV, RdataCodec.toWire(records.get(1).rdata(), false)), records.get(3).rdata());
        assertEquals(Result.err(new ZoneFileError.BadRdata(Optional.empty(), 1, Type.DS,
                        new RdataTextError.BadNumber("NOSUCHALG", 0xff))),
                MasterFile.parse("example. 3600 IN DS 1 NOSUCHALG 1 00\n", Name.ROOT, MasterFile.IncludeResolver.NONE));
    }

    @Test
    void syntaxCornerCases() {
        String zone = """
                $ORIGIN Example.org.
                $TTL 1h
                @ IN 300 SOA ns hostmaster ( 1 ; serial
                        2h 1h 1w 5m )
                \\@weird\\.label 600 IN TXT "semi;colon" "quote\\"d" \\065BC
                  A 192.0.2.1 ; same owner, class and TTL from before
                sub CH 60 TXT "x"
                x IN TYPE65300 \\# 3 ABCDEF
                y IN A \\# 4 C0000201
                *.w IN MX 10 @
                """;
        List<Record> r = MasterFile.parse(zone, Name.ROOT, MasterFile.IncludeResolver.NONE).orElseThrow();
        assertEquals(7, r.size());
        assertEquals(300, r.get(0).ttl());
        Rdata.Soa soa = (Rdata.Soa) r.get(0).rdata();
        assertEquals(Name.of("ns.example.org."), soa.mname());
        assertEquals(7200, soa.refresh());
        assertEquals(604800, soa.expire());
        assertEquals("\\@weird\\.label.Example.org.", r.get(1).name().toString());
        assertEquals(new Rdata.Txt(List.of(Bytes.utf8("semi;colon"), Bytes.utf8("quote\"d"), Bytes.utf8("ABC"))),
                r.get(1).rdata());
        assertEquals(r.get(1).name(), r.get(2).name());
        assertEquals(3600, r.get(2).ttl(), "RFC 2308: $TTL, not the previous record's TTL");
        assertEquals(DnsClass.CH, r.get(3).rrClass());
        assertEquals(new Rdata.Opaque(65300, Bytes.fromHex("abcdef")), r.get(4).rdata());
        assertEquals("192.0.2.1", ((Rdata.A) r.get(5).rdata()).address().getHostAddress());
        assertEquals(new Rdata.Mx(10, Name.of("example.org.")), r.get(6).rdata());
        assertTrue(r.get(6).name().isWildcard());
    }

    @Test
    void includeIsConfinedAndErrorsAreValues() {
        assertEquals(new ZoneFileError.IncludeOutsideFolder(Optional.empty(), 1, "../etc/passwd"),
                error("$INCLUDE ../etc/passwd\n", TestData.folder(TestData.DIR)));
        assertEquals(new ZoneFileError.IncludeOutsideFolder(Optional.empty(), 1, "/etc/passwd"),
                error("$INCLUDE /etc/passwd\n", TestData.folder(TestData.DIR)));
        assertEquals(new ZoneFileError.IncludeTooDeep(Optional.of("self"), 1, MasterFile.MAX_INCLUDE_DEPTH),
                error("$INCLUDE self\n", p -> Result.ok("$INCLUDE self\n")));
        assertEquals(new ZoneFileError.IncludeFailed(Optional.empty(), 2, "absent", new IncludeError.NotFound("absent")),
                error("$TTL 1\n$INCLUDE absent\n", TestData.folder(TestData.DIR)));
        assertEquals(new ZoneFileError.BadRdata(Optional.empty(), 1, Type.A, new RdataTextError.BadIpv4("300.1.1.1")),
                error("a. 1 IN A 300.1.1.1\n", MasterFile.IncludeResolver.NONE));
        assertEquals(new ZoneFileError.UnbalancedParenthesis(Optional.empty(), 2, '('),
                error("a. 1 IN A (1.1.1.1\n", MasterFile.IncludeResolver.NONE));
        assertEquals(new ZoneFileError.NoTtl(Optional.empty(), 1), error("a. IN A 1.1.1.1\n", MasterFile.IncludeResolver.NONE));
    }

    @Test
    void anErrorInAnIncludedFileNamesThatFileAndItsLine() {
        MasterFile.IncludeResolver inc = path -> Result.ok("$TTL 60\nok A 192.0.2.1\nbad A 192.0.2.\n");
        ZoneFileError e = error("$TTL 60\n\n$INCLUDE sub/hosts\n", inc);
        assertEquals(new ZoneFileError.BadRdata(Optional.of("sub/hosts"), 3, Type.A, new RdataTextError.BadIpv4("192.0.2.")), e);
        assertEquals("sub/hosts:3: bad IPv4 address 192.0.2.", e.describe());
        assertEquals("<input>:1: unknown directive $FOO", error("$FOO\n", MasterFile.IncludeResolver.NONE).describe());
    }

    /** One minimal input per case, each giving exactly that case at the expected line. */
    @Test
    void eachErrorCaseComesFromAMinimalInput() {
        Optional<String> top = Optional.empty();
        List<ZoneFileError> expected = List.of(
                new ZoneFileError.UnterminatedQuote(top, 1),
                new ZoneFileError.UnbalancedParenthesis(top, 1, ')'),
                new ZoneFileError.DirectiveArguments(top, 1, "$ORIGIN", 1, 1),
                new ZoneFileError.UnknownDirective(top, 2, "$ORIGINAL"),
                new ZoneFileError.BadDefaultTtl(top, 1, "1x"),
                new ZoneFileError.BadName(top, 1, new NameError.EmptyLabel("a..b.")),
                new ZoneFileError.NoPreviousOwner(top, 1),
                new ZoneFileError.MissingType(top, 1),
                new ZoneFileError.UnknownType(top, 1, "BOGUS"),
                new ZoneFileError.NotZoneData(top, 1, Type.AXFR),
                new ZoneFileError.BadRdata(top, 1, Type.MX, new RdataTextError.BadNumber("-1", 0xffff)),
                new ZoneFileError.BadGenerateRange(top, 1, "9-1"),
                new ZoneFileError.BadGenerateModifier(top, 1, "${0,3,q}"),
                new ZoneFileError.TooManyGenerated(top, 1, MasterFile.MAX_GENERATED),
                new ZoneFileError.DirectiveArguments(top, 1, "$GENERATE", 4, 6),
                new ZoneFileError.NoTtl(top, 1));
        List<String> inputs = List.of(
                "a. 1 TXT \"open\n",
                "a. 1 A 192.0.2.1 )\n",
                "$ORIGIN\n",
                "$TTL 1\n$ORIGINAL x.\n",
                "$TTL 1x\n",
                "a..b. 1 A 192.0.2.1\n",
                " 1 A 192.0.2.1\n",
                "a. 1 IN\n",
                "a. 1 BOGUS x\n",
                "a. 1 AXFR\n",
                "a. 1 MX -1 b.\n",
                "$GENERATE 9-1 h$ A 192.0.2.$\n",
                "$GENERATE 1-2 h${0,3,q} A 192.0.2.1\n",
                "$GENERATE 0-70000 h$ 1 A 192.0.2.1\n",
                "$GENERATE 1-2 h$ A\n",
                "a. A 192.0.2.1\n");
        Set<Class<?>> produced = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            ZoneFileError e = error(inputs.get(i), MasterFile.IncludeResolver.NONE);
            assertEquals(expected.get(i), e, inputs.get(i));
            assertTrue(e.describe().startsWith("<input>:" + e.line() + ": "), e.describe());
            produced.add(e.getClass());
        }
        ZoneFileError notAllowed = error("$INCLUDE x\n", MasterFile.IncludeResolver.NONE);
        assertEquals(new ZoneFileError.IncludeFailed(top, 1, "x", new IncludeError.NotAllowed()), notAllowed);
        assertEquals("<input>:1: $INCLUDE x: $INCLUDE is not allowed here", notAllowed.describe());
        produced.add(notAllowed.getClass());
        produced.add(error("$INCLUDE self\n", p -> Result.ok("$INCLUDE self\n")).getClass());
        produced.add(error("$INCLUDE /x\n", p -> Result.ok("")).getClass());
        assertEquals(Set.of(ZoneFileError.class.getPermittedSubclasses()), produced, "a minimal input for every case");
    }

    private static ZoneFileError error(String text, MasterFile.IncludeResolver includes) {
        return switch (MasterFile.parse(text, Name.of("example."), includes)) {
            case Result.Err<List<Record>, ZoneFileError>(ZoneFileError e) -> e;
            case Result.Ok<List<Record>, ZoneFileError>(List<Record> records) ->
                    throw new AssertionError("parsed " + text + " into " + records);
        };
    }
}
