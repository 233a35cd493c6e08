package jmirage.canopy.shell;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.http.Headers;

/**
 * The webhook's signature headers, from the network: any header values and body give a value
 * (never an exception), and only a signature computed with the secret is accepted.
 */
class WebhookFuzzTest {

    static final Bytes SECRET = Bytes.utf8("fuzzing secret");

    @FuzzTest(maxDuration = "20s")
    void signatureHeadersGiveAVerdict(FuzzedDataProvider data) {
        int count = data.consumeInt(0, 4);
        String[] fields = new String[2 * count];
        for (int i = 0; i < count; i++) {
            fields[2 * i] = Webhook.HEADERS.get(data.consumeInt(0, Webhook.HEADERS.size() - 1));
            fields[2 * i + 1] = data.consumeString(80);
        }
        Bytes body = Bytes.adopt(data.consumeRemainingAsBytes());
        Result<List<String>, Webhook.Refusal> verdict = Webhook.verify(SECRET, Headers.of(fields), body);
        if (verdict.isOk()) {
            String hex = java.util.HexFormat.of().formatHex(Webhook.hmac(SECRET, body));
            for (int i = 1; i < fields.length; i += 2) {
                assertTrue(fields[i].strip().toLowerCase(java.util.Locale.ROOT).endsWith(hex),
                        "accepted only the body's own HMAC: " + fields[i]);
            }
        }
    }
}
