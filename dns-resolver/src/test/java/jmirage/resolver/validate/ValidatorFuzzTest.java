package jmirage.resolver.validate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.dns.DecodeError;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Type;
import jmirage.dns.dnssec.Dnssec;
import jmirage.resolver.core.Security;

/**
 * validate() on arbitrary messages: the response and every DS or DNSKEY answer the key fetcher
 * gives are fuzzed bytes (length-prefixed chunks), decoded as the wire decoder does, under the
 * trust anchors of {@link TestWorld}. Whatever the bytes, the promise settles with a status and
 * no exception reached the validator's safety net.
 */
class ValidatorFuzzTest {

    private static final TestWorld WORLD = new TestWorld(Dnssec.ECDSAP256SHA256);

    @FuzzTest(maxDuration = "20s")
    void anyMessageGetsAStatus(byte[] data) {
        Bytes all = Bytes.of(data);
        int[] offset = {0};
        java.util.function.Supplier<Result<Message, String>> next = () -> {
            if (offset[0] + 2 > all.size()) {
                return Result.err("no more answers");
            }
            int len = all.getUnsigned(offset[0]) << 8 | all.getUnsigned(offset[0] + 1);
            int end = Math.min(all.size(), offset[0] + 2 + len);
            Bytes chunk = all.slice(offset[0] + 2, end);
            offset[0] = end;
            return switch (MessageCodec.decode(chunk)) {
                case Result.Err<Message, DecodeError>(DecodeError e) -> Result.err(e.describe());
                case Result.Ok<Message, DecodeError>(Message m) -> Result.ok(m);
            };
        };
        Result<Message, String> response = next.get();
        if (!(response instanceof Result.Ok<Message, String>(Message m))) {
            return;
        }
        Validator validator = new Validator(WORLD.anchors(), q -> Promise.resolved(next.get()), WORLD.clock(), ValidatorConfig.defaults());
        Question q = m.questions().isEmpty() ? new Question(Name.of("www.example."), Type.A) : m.questions().getFirst();
        Promise<Validated> p = validator.validate(q, m);
        assertTrue(p.isResolved(), () -> "settled: " + p);
        Security s = p.value().security();
        assertFalse(s instanceof Security.Bogus b && b.reason().startsWith("validator failure"), () -> "a bug: " + s);
    }
}
