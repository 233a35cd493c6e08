package jmirage.http.h2;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import jmirage.core.Bytes;

/** Any header block: a list of fields within the limit, or a compression error; never an exception. */
class HpackFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void anyBlockDecodesOrIsRefused(byte[] data) {
        Hpack.Decoder decoder = new Hpack.Decoder(4096, 16384);
        int half = data.length / 2;
        for (Bytes block : new Bytes[] {Bytes.of(data, 0, half), Bytes.of(data, half, data.length - half)}) {
            decoder.decode(block).map(fields -> {
                assertTrue(fields.stream().mapToInt(f -> f.name().length() + f.value().length() + 32).sum() <= 16384);
                return fields;
            });
        }
    }
}
