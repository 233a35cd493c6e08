package jmirage.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.dns.zone.MasterFileAccess;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.xbill.DNS.Section;

/** dnsjava 3.6.3 as a test-only oracle: each side's bytes and text parse in the other to the same values. */
class DnsjavaOracleTest {

    @Provide
    Arbitrary<Record> records() {
        return Generators.records();
    }

    static byte[] uncompressed(Record r) {
        WireWriter w = new WireWriter(64);
        w.name(r.name(), false, false);
        w.u16(r.type());
        w.u16(r.rrClass());
        w.u32(r.ttl());
        Bytes rdata = RdataCodec.toWire(r.rdata(), false);
        w.u16(rdata.size());
        w.bytes(rdata);
        return w.toArray();
    }

    @Property(tries = 3000)
    void ourBytesParseInDnsjavaToTheSameValues(@ForAll("records") Record r) throws Exception {
        byte[] ours = uncompressed(r);
        org.xbill.DNS.Record theirs = org.xbill.DNS.Record.fromWire(ours, Section.ANSWER);
        assertEquals(r.type(), theirs.getType());
        assertEquals(r.rrClass(), theirs.getDClass());
        assertEquals(r.ttl(), theirs.getTTL());
        assertArrayEquals(r.name().toWire(), theirs.getName().toWire());
        assertArrayEquals(ours, theirs.toWire(Section.ANSWER));
        if (r.type() != Type.TSIG) {
            // dnsjava's reading of the values, in its own words, parses in ours to the same record data
            String text = theirs.rdataToString();
            List<Token> tokens = MasterFileAccess.tokens(text);
            assertEquals(r.rdata(), RdataText.parse(r.type(), tokens, Name.ROOT).orElseThrow(), text);
        }
    }

    @Property(tries = 3000)
    void dnsjavaBytesParseInOursToTheSameValues(@ForAll("records") Record r) throws Exception {
        if (r.type() == Type.TSIG) {
            return;
        }
        // our text, read by dnsjava, written by dnsjava, read by us
        String text = inDnsjavaTerms(RdataText.print(r.rdata()));
        org.xbill.DNS.Record theirs = org.xbill.DNS.Record.fromString(
                new org.xbill.DNS.Name(r.name().toString()), r.type(), r.rrClass(), r.ttl(), text,
                org.xbill.DNS.Name.root);
        byte[] wire = theirs.toWire(Section.ANSWER);
        WireReader in = new WireReader(wire, 0, wire.length);
        Name name = in.name();
        assertEquals(r.type(), in.u16());
        assertEquals(r.rrClass(), in.u16());
        assertEquals(r.ttl(), in.u32());
        int len = in.u16();
        assertEquals(r.rdata(), RdataCodec.read(r.type(), in, len), text);
        assertEquals(r.name(), name);
    }

    /** Found by the property above on a clean clone: RESINFO (261) is newer than dnsjava 3.6.3. */
    @Example
    void aTypeDnsjavaDoesNotKnowTravelsInGenericForm() throws Exception {
        dnsjavaBytesParseInOursToTheSameValues(Record.in(Name.of("a.example."), 300,
                new Rdata.Nsec(Name.of("b.example."), List.of(Type.A, 261, 65280))));
    }

    /**
     * Type mnemonics newer than dnsjava 3.6.3 (RESINFO, RFC 9606, say) in RFC 3597 form, TYPE261:
     * both spellings are right, and dnsjava only reads the second.
     */
    private static String inDnsjavaTerms(String text) {
        StringBuilder out = new StringBuilder();
        for (String token : text.split(" ", -1)) {
            if (out.length() > 0) {
                out.append(' ');
            }
            Optional<Integer> type = Type.parse(token);
            boolean unknownToDnsjava = type.isPresent() && !token.startsWith("TYPE")
                    && org.xbill.DNS.Type.value(token) < 0;
            out.append(unknownToDnsjava ? "TYPE" + type.get() : token);
        }
        return out.toString();
    }

    @Property(tries = 500)
    void dnsjavaReadsOurMessages(@ForAll("messages") Message m) throws Exception {
        org.xbill.DNS.Message theirs = new org.xbill.DNS.Message(MessageCodec.encode(m).toArray());
        assertEquals(m.header().id(), theirs.getHeader().getID());
        assertEquals(m.answers().size(), theirs.getSection(Section.ANSWER).size());
        assertEquals(m.authority().size(), theirs.getSection(Section.AUTHORITY).size());
        assertEquals(m.edns().isPresent(), theirs.getOPT() != null);
        assertEquals(m.header().rcode(), theirs.getRcode());
        for (int i = 0; i < m.answers().size(); i++) {
            assertArrayEquals(uncompressed(m.answers().get(i)), theirs.getSection(Section.ANSWER).get(i).toWire(Section.ANSWER));
        }
        // and dnsjava's own encoding of the same message decodes in ours to the same values
        Message back = MessageCodec.decode(Bytes.of(theirs.toWire())).orElseThrow();
        assertEquals(m.answers(), back.answers());
        assertEquals(m.authority(), back.authority());
        assertEquals(m.questions(), back.questions());
    }

    @Provide
    Arbitrary<Message> messages() {
        return Generators.messages().filter(m -> m.tsig().isEmpty());
    }
}
