package jmirage.authoritative.certify;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.Unit;

/**
 * What a primary answers to an update, arbitrary bytes: {@link UpdateMessage#answer} gives a value,
 * never an exception, and never success for bytes that do not carry our key's signature over our
 * request's MAC (which random bytes cannot).
 */
class UpdateAnswerFuzzTest {

    static final Instant NOW = UpdateMessageTest.NOW;
    static final UpdateMessage.Signed REQUEST = UpdateMessage.signed(4242, UpdateMessageTest.ZONE, List.of(),
            List.of(UpdateMessageTest.CHALLENGE), UpdateMessageTest.KEY, NOW).orElseThrow();

    @FuzzTest(maxDuration = "20s")
    void answersGiveValuesOnly(byte[] input) {
        Result<Unit, UpdateError> r = UpdateMessage.answer(REQUEST, Bytes.of(input), UpdateMessageTest.KEY, NOW);
        switch (r) {
            case Result.Ok<Unit, UpdateError> ok -> throw new AssertionError("random bytes verified as a signed answer");
            case Result.Err<Unit, UpdateError>(UpdateError e) -> assertFalse(e.describe().isEmpty());
        }
    }
}
