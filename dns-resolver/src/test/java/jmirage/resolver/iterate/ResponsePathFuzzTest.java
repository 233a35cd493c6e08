package jmirage.resolver.iterate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.Map;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.dns.DecodeError;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Type;
import jmirage.resolver.upstream.Upstream;
import jmirage.resolver.upstream.UpstreamError;
import jmirage.sim.SeededRandom;

/**
 * The response path: every authority's answer is fuzzed bytes (length-prefixed chunks, one per
 * query), decoded as the shell decodes them; bytes that decode get the query's ID and, when the
 * chunk's first byte says so, its question, so the fuzzer reaches referrals, chains and negative
 * answers. Whatever the bytes: the resolution settles without an exception, as an answer or a
 * typed error, within the work budget.
 */
class ResponsePathFuzzTest {

    private static final Recursion.Config CONFIG = Recursion.Config.defaults().withPrimeRoot(false).withMaxQueries(24);

    @FuzzTest(maxDuration = "20s")
    void anyAnswerGivesAnAnswerOrATypedError(byte[] data) {
        Bytes all = Bytes.of(data);
        int[] offset = {0};
        int[] asked = {0};
        Upstream fuzzed = (server, query, transport) -> {
            asked[0]++;
            if (offset[0] + 2 > all.size()) {
                return Promise.resolved(Result.err(new UpstreamError.TimedOut(400)));
            }
            int len = all.getUnsigned(offset[0]) << 8 | all.getUnsigned(offset[0] + 1);
            int end = Math.min(all.size(), offset[0] + 2 + len);
            Bytes chunk = all.slice(offset[0] + 2, end);
            offset[0] = end;
            return Promise.resolved(switch (MessageCodec.decode(chunk)) {
                case Result.Err<Message, DecodeError>(DecodeError e) -> Result.err(new UpstreamError.Malformed(e.describe()));
                case Result.Ok<Message, DecodeError>(Message m) -> Result.ok(matching(query, m, chunk.getUnsigned(0)));
            });
        };
        ManualClock clock = new ManualClock();
        Hints hints = new Hints(Map.of(Name.ROOT, List.of(new Hints.Server(Name.of("a.root-servers.test."),
                List.of(ScriptedAuthorities.ip("127.0.0.1"))))), Map.of());
        Recursion recursion = new Recursion(hints, fuzzed, clock, new SeededRandom(1), CONFIG);
        Promise<Result<Answer, RecursionError>> p = recursion.resolve(new Question(Name.of("www.example.com."), Type.A));
        assertTrue(p.isResolved(), () -> "settled without a bug: " + p);
        assertTrue(asked[0] <= CONFIG.maxQueries(), () -> asked[0] + " queries");
    }

    /** The answer with the query's ID, and its question unless bit 0 of {@code mode} is set. */
    private static Message matching(Message query, Message m, int mode) {
        List<Question> questions = (mode & 1) == 0 ? query.questions() : m.questions();
        return new Message(m.header().withId(query.header().id()), questions, m.answers(), m.authority(), m.additional(), m.edns());
    }
}
