package jmirage.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import jmirage.core.Bytes;
import jmirage.core.Result;

/**
 * Arbitrary bytes into the message decoder: only a {@link DecodeError} value or a message comes
 * out, never an exception; what decodes re-encodes to a message that decodes the same; and the
 * work stays proportional to the input (records bounded by its size, time bounded per byte).
 */
class MessageDecoderFuzzTest {

    static {
        // load and warm the codec's classes so the time bound measures decoding, not class loading
        for (int i = 0; i < 40; i++) {
            for (int k = 0; k < 5; k++) {
                Message m = Generators.messages().sample();
                MessageCodec.decode(MessageCodec.encode(m));
            }
        }
    }

    @FuzzTest(maxDuration = "20s")
    void decoderReturnsValuesOnly(byte[] input) {
        long start = System.nanoTime();
        Result<Message, DecodeError> r = MessageCodec.decode(Bytes.of(input));
        long elapsed = System.nanoTime() - start;
        // 1 ms plus 50 us a byte is far above the linear cost; pointer loops or quadratic walks would break it
        assertTrue(elapsed < 1_000_000_000L + 50_000L * input.length, "decode took " + elapsed + " ns for " + input.length + " bytes");
        switch (r) {
            case Result.Err<Message, DecodeError>(DecodeError e) -> assertTrue(e.offset() >= 0 && e.offset() <= input.length);
            case Result.Ok<Message, DecodeError>(Message m) -> {
                int items = m.questions().size() + m.answers().size() + m.authority().size() + m.additional().size();
                assertTrue(items <= input.length / 5, "more items than the input can hold");
                Bytes again = MessageCodec.encode(m);
                assertEquals(m, MessageCodec.decode(again).orElseThrow());
                assertEquals(again, MessageCodec.encode(MessageCodec.decode(again).orElseThrow()));
            }
        }
    }
}
