package jmirage.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jmirage.core.Bytes;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class WireRoundTripTest {

    @Provide
    Arbitrary<Message> messages() {
        return Generators.messages();
    }

    @Provide
    Arbitrary<Record> records() {
        return Generators.records();
    }

    @Property(tries = 2000)
    void decodeOfEncodeGivesTheMessageBack(@ForAll("messages") Message m) {
        Bytes wire = MessageCodec.encode(m);
        Message back = MessageCodec.decode(wire).orElseThrow();
        assertEquals(m, back);
        // names keep their case through compression
        for (int i = 0; i < m.answers().size(); i++) {
            assertEquals(m.answers().get(i).name().toString(), back.answers().get(i).name().toString());
        }
    }

    @Property(tries = 2000)
    void encodingADecodedCanonicalMessageGivesTheSameBytes(@ForAll("messages") Message m) {
        Bytes wire = MessageCodec.encode(m);
        Message back = MessageCodec.decode(wire).orElseThrow();
        assertEquals(wire, MessageCodec.encode(back));
    }

    @Property(tries = 3000)
    void rdataWireRoundTripsForEveryType(@ForAll("records") Record r) {
        Bytes wire = RdataCodec.toWire(r.rdata(), false);
        assertEquals(r.rdata(), RdataCodec.fromWire(r.type(), wire).orElseThrow());
        Bytes canonical = RdataCodec.toWire(r.rdata(), true);
        Rdata fromCanonical = RdataCodec.fromWire(r.type(), canonical).orElseThrow();
        assertEquals(canonical, RdataCodec.toWire(fromCanonical, true));
    }

    @Property(tries = 3000)
    void presentationFormRoundTripsForEveryType(@ForAll("records") Record r) {
        if (r.type() == Type.TSIG) {
            return;
        }
        String text = RdataText.print(r.rdata());
        var tokens = jmirage.dns.zone.MasterFileAccess.tokens(text);
        assertEquals(r.rdata(), RdataText.parse(r.type(), tokens, Name.ROOT).orElseThrow(), text);
    }
}
