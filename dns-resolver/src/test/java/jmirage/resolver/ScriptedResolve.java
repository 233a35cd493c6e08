package jmirage.resolver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.dns.Header;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.zone.MasterFile;
import jmirage.dns.zone.ZoneFileError;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Resolve;
import jmirage.resolver.core.Security;

/**
 * A core that answers from a script, at once: the resolutions the test set by question (the name
 * compared without case), NXDOMAIN for anything else. It records each question and CD bit it got.
 */
public final class ScriptedResolve implements Resolve {

    /** One call: the question as the serving layer passed it, and its checkingDisabled. */
    public record Call(Question question, boolean checkingDisabled) {}

    private final Map<Question, Resolution> script = new HashMap<>();
    public final List<Call> calls = new ArrayList<>();

    @Override
    public Promise<Resolution> resolve(Question question, boolean checkingDisabled) {
        calls.add(new Call(question, checkingDisabled));
        Resolution r = script.get(new Question(question.name(), question.qtype(), question.qclass()));
        return Promise.resolved(r != null ? r : new Resolution(question, Header.NXDOMAIN, List.of(),
                records(question.name().parent(Math.max(0, question.name().labelCount() - 1)) + " 300 IN SOA ns. host. 1 2 3 4 300"),
                List.of(), Security.INDETERMINATE, Optional.empty(), false));
    }

    /** Answers {@code name type} with {@code answer} records (master-file lines) and {@code security}. */
    public ScriptedResolve answer(String name, int type, Security security, String... answer) {
        Question q = new Question(Name.of(name), type);
        script.put(q, new Resolution(q, Header.NOERROR, records(answer), List.of(), List.of(), security, Optional.empty(), false));
        return this;
    }

    /** Answers {@code name type} with {@code resolution} as it is. */
    public ScriptedResolve answer(String name, int type, Resolution resolution) {
        script.put(new Question(Name.of(name), type), resolution);
        return this;
    }

    /** Records from master-file lines with absolute names. */
    public static List<Record> records(String... lines) {
        return switch (MasterFile.parse(String.join("\n", lines) + "\n", Name.ROOT, MasterFile.IncludeResolver.NONE)) {
            case Result.Err<List<Record>, ZoneFileError>(ZoneFileError e) -> throw new IllegalArgumentException(e.describe());
            case Result.Ok<List<Record>, ZoneFileError>(List<Record> records) -> records;
        };
    }

    /** The usual script of the interop tests: www.example.test A and AAAA, secure; a long TXT; a bogus name. */
    public static ScriptedResolve example() {
        List<String> txt = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            txt.add("long.example.test. 300 IN TXT \"" + "b".repeat(60) + i + "\"");
        }
        return new ScriptedResolve()
                .answer("www.example.test.", Type.A, Security.SECURE,
                        "www.example.test. 300 IN A 192.0.2.80",
                        "www.example.test. 300 IN RRSIG A 13 3 300 20300101000000 20200101000000 12345 example.test. "
                                + "c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbg==")
                .answer("www.example.test.", Type.AAAA, Security.INSECURE, "www.example.test. 120 IN AAAA 2001:db8::80")
                .answer("long.example.test.", Type.TXT, Security.INSECURE, txt.toArray(String[]::new))
                .answer("bogus.example.test.", Type.A, Resolution.failure(new Question(Name.of("bogus.example.test."), Type.A),
                        6, "signature of bogus.example.test. A does not verify"));
    }
}
