package jmirage.authoritative.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import jmirage.authoritative.store.SampleZone;
import jmirage.authoritative.zone.Zone;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.dns.DecodeError;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;

/**
 * Arbitrary prerequisite and update sections (after a fixed UPDATE header and zone section, so the
 * fuzzer spends its time in the records) into the RFC 2136 core: only an outcome value comes out;
 * an applied change is a valid zone with a grown serial that prints and parses back to itself.
 */
class UpdateFuzzTest {

    static final Name ORIGIN = Name.of("example.test.");
    static final Zone SAMPLE = Zone.parse(SampleZone.ZONE, ORIGIN).orElseThrow();
    static final byte[] QUESTION = {7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 4, 't', 'e', 's', 't', 0, 0, 6, 0, 1};

    @FuzzTest(maxDuration = "20s")
    void updatesGiveOutcomesOnly(byte[] input) {
        if (input.length < 2) {
            return;
        }
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        int prereqs = input[0] & 0x07;
        int updates = input[1] & 0x0f;
        wire.writeBytes(new byte[] {0, 1, 0x28, 0, 0, 1, 0, (byte) prereqs, 0, (byte) updates, 0, 0});
        wire.writeBytes(QUESTION);
        wire.write(input, 2, input.length - 2);
        Result<Message, DecodeError> decoded = MessageCodec.decode(Bytes.adopt(wire.toByteArray()));
        if (!(decoded instanceof Result.Ok<Message, DecodeError>(Message m))) {
            return;
        }
        long start = System.nanoTime();
        UpdateCore.Outcome o = UpdateCore.apply(SAMPLE, m);
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "an update took too long");
        switch (o) {
            case UpdateCore.Outcome.Rejected r -> assertTrue(r.rcode().value() > 0 && r.rcode().value() <= 10, "rcode " + r.rcode());
            case UpdateCore.Outcome.Applied a -> {
                if (a.changed()) {
                    assertTrue(Serial.greater(a.zone().serial(), SAMPLE.serial()));
                    assertEquals(a.zone(), Zone.parse(a.zone().toMasterFile(), ORIGIN).orElseThrow());
                } else {
                    assertEquals(SAMPLE, a.zone());
                }
            }
        }
    }
}
