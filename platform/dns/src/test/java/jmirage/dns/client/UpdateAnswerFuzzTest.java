package jmirage.dns.client;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.Unit;

/**
 * What a server answers to an update, arbitrary bytes: {@link Update#answer} gives a value,
 * never an exception, and never success for bytes that do not carry our key's signature over our
 * request's MAC (which random bytes cannot).
 */
class UpdateAnswerFuzzTest {

    static final Instant NOW = UpdateTest.NOW;
    static final Update.Signed REQUEST = Update.signed(4242, UpdateTest.ZONE, List.of(),
            List.of(UpdateTest.CHALLENGE), UpdateTest.KEY, NOW).orElseThrow();

    @FuzzTest(maxDuration = "20s")
    void answersGiveValuesOnly(byte[] input) {
        Result<Unit, UpdateError> r = Update.answer(REQUEST, Bytes.of(input), UpdateTest.KEY, NOW);
        switch (r) {
            case Result.Ok<Unit, UpdateError> ok -> throw new AssertionError("random bytes verified as a signed answer");
            case Result.Err<Unit, UpdateError>(UpdateError e) -> assertFalse(e.describe().isEmpty());
        }
    }
}
