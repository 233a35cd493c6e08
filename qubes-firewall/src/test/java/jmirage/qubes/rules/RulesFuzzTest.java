package jmirage.qubes.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.LinkedHashMap;
import java.util.Map;
import jmirage.core.Result;

/**
 * Arbitrary QubesDB entries under a client's tree into the rule reader: only typed errors come out
 * (never an exception, which would leave the client's old rules in place), and every rule that parses
 * reads back as itself from its canonical text.
 */
class RulesFuzzTest {

    static final java.net.InetAddress CLIENT = jmirage.core.net.IpAddresses.parse("10.137.0.7").orElseThrow();

    /** The input's lines: the policy, then rules 0000, 0001...; a line {@code KEY:VALUE} is an entry of that key instead. */
    @FuzzTest(maxDuration = "20s")
    void arbitraryEntriesParseOrFailCleanly(FuzzedDataProvider data) {
        String[] lines = data.consumeRemainingAsString().split("\n", -1);
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("policy", lines[0]);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && colon < 6) {
                entries.put(lines[i].substring(0, colon), lines[i].substring(colon + 1));
            } else {
                entries.put("%04d".formatted(i - 1), lines[i]);
            }
            if (ClientRules.parse(i - 1, lines[i]) instanceof Result.Ok<Rule, RuleError>(Rule parsed)) {
                assertEquals(Result.ok(parsed), ClientRules.parse(i - 1, parsed.text()));
            }
        }
        if (ClientRules.read(CLIENT, entries) instanceof Result.Ok<ClientRules, RuleError>(ClientRules rules)) {
            for (Rule rule : rules.rules()) {
                assertEquals(Result.ok(rule), ClientRules.parse(rule.number(), rule.text()));
            }
        }
    }
}
