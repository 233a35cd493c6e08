package jmirage.authoritative.secondary;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Optional;
import jmirage.authoritative.store.SampleZone;
import jmirage.authoritative.zone.Zone;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.dns.DecodeError;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;

/**
 * What a primary sends, arbitrary: a stream of length-prefixed messages (RFC 7766 framing) into the
 * secondary's transfer reader, which holds a copy of the sample zone: only a value comes out (an
 * error, or a zone that passed the zone checks), whatever the records and their order.
 */
class TransferReaderFuzzTest {

    static final Name ORIGIN = Name.of("example.test.");
    static final Zone SAMPLE = Zone.parse(SampleZone.ZONE, ORIGIN).orElseThrow();

    @FuzzTest(maxDuration = "20s")
    void transferStreamsGiveValuesOnly(byte[] input) {
        TransferReader reader = new TransferReader(ORIGIN, input.length % 2 == 0 ? Optional.of(SAMPLE) : Optional.empty());
        Bytes all = Bytes.of(input);
        int at = 0;
        while (at + 2 <= all.size() && !reader.done()) {
            int len = all.getUnsigned(at) << 8 | all.getUnsigned(at + 1);
            int end = Math.min(all.size(), at + 2 + len);
            Result<Message, DecodeError> m = MessageCodec.decode(all.slice(at + 2, end));
            at = end;
            if (m instanceof Result.Ok<Message, DecodeError>(Message msg)) {
                reader.feed(msg.answers());
                reader.endOfMessage();
            }
        }
        if (reader.done()) {
            switch (reader.outcome()) {
                case Result.Ok<TransferReader.Outcome, TransferError>(TransferReader.Outcome o) -> assertTrue(switch (o) {
                    case TransferReader.Outcome.UpToDate u -> true;
                    case TransferReader.Outcome.Full f -> f.zone().origin().equals(ORIGIN);
                    case TransferReader.Outcome.Incremental i -> i.zone().origin().equals(ORIGIN);
                });
                case Result.Err<TransferReader.Outcome, TransferError>(TransferError e) -> assertTrue(!e.describe().isEmpty());
            }
        } else {
            assertTrue(reader.outcome() instanceof Result.Err, "an unfinished transfer is an error");
        }
    }
}
