package jmirage.canopy.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.http.Headers;
import org.junit.jupiter.api.Test;

/** The webhook's signatures as GitHub, Gitea and Forgejo send them: right, wrong, missing, malformed. */
class WebhookTest {

    static final Bytes SECRET = Bytes.utf8("It's a Secret to Everybody");
    static final Bytes BODY = Bytes.utf8("Hello, World!");
    /** GitHub's documented example ("Validating webhook deliveries"): this secret and body give this signature. */
    static final String GITHUB_EXAMPLE = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    static Result<List<String>, Webhook.Refusal> verify(String... headers) {
        return Webhook.verify(SECRET, Headers.of(headers), BODY);
    }

    @Test
    void theHmacIsGitHubsDocumentedExample() {
        assertEquals(GITHUB_EXAMPLE, HexFormat.of().formatHex(Webhook.hmac(SECRET, BODY)));
        assertEquals("sha256=" + GITHUB_EXAMPLE, Webhook.gitHubSignature(SECRET, BODY));
    }

    @Test
    void eachForgesHeaderIsAccepted() {
        assertEquals(Result.ok(List.of("X-Hub-Signature-256")), verify("X-Hub-Signature-256", "sha256=" + GITHUB_EXAMPLE));
        assertEquals(Result.ok(List.of("X-Gitea-Signature")), verify("X-Gitea-Signature", GITHUB_EXAMPLE));
        assertEquals(Result.ok(List.of("X-Forgejo-Signature")), verify("X-Forgejo-Signature", GITHUB_EXAMPLE.toUpperCase()));
        // Forgejo sends all three, with the same value
        assertEquals(Result.ok(List.of("X-Hub-Signature-256", "X-Gitea-Signature", "X-Forgejo-Signature")),
                verify("X-Forgejo-Signature", GITHUB_EXAMPLE, "X-Gitea-Signature", GITHUB_EXAMPLE,
                        "X-Hub-Signature-256", "sha256=" + GITHUB_EXAMPLE));
    }

    @Test
    void aWrongSignatureIsAMismatch() {
        String wrong = GITHUB_EXAMPLE.substring(0, 63) + "0";
        assertEquals(Result.err(new Webhook.Refusal.Mismatch("X-Hub-Signature-256")), verify("X-Hub-Signature-256", "sha256=" + wrong));
        assertEquals(Result.err(new Webhook.Refusal.Mismatch("X-Gitea-Signature")), verify("X-Gitea-Signature", wrong));
        assertEquals(Result.err(new Webhook.Refusal.Mismatch("X-Forgejo-Signature")), verify("X-Forgejo-Signature", wrong));
        // the right signature of another body, or under another secret
        assertTrue(Webhook.verify(SECRET, Headers.of("X-Gitea-Signature", GITHUB_EXAMPLE), Bytes.utf8("Hello, World?")) instanceof Result.Err);
        assertTrue(Webhook.verify(Bytes.utf8("guess"), Headers.of("X-Gitea-Signature", GITHUB_EXAMPLE), BODY) instanceof Result.Err);
    }

    @Test
    void oneForgedHeaderBesideAGoodOneIsRefused() {
        assertEquals(Result.err(new Webhook.Refusal.Mismatch("X-Gitea-Signature")),
                verify("X-Hub-Signature-256", "sha256=" + GITHUB_EXAMPLE, "X-Gitea-Signature", "00".repeat(32)));
        assertEquals(Result.err(new Webhook.Refusal.Mismatch("X-Gitea-Signature")),
                verify("X-Gitea-Signature", GITHUB_EXAMPLE, "X-Gitea-Signature", "00".repeat(32)));
    }

    @Test
    void missingAndMalformedSignatures() {
        assertEquals(Result.err(new Webhook.Refusal.Unsigned()), verify());
        assertEquals(Result.err(new Webhook.Refusal.Unsigned()), verify("X-Hub-Signature", "sha1=" + "00".repeat(20)));
        for (String bad : List.of(GITHUB_EXAMPLE, "sha1=" + GITHUB_EXAMPLE, "sha256=" + GITHUB_EXAMPLE.substring(1), "sha256=",
                "sha256=" + GITHUB_EXAMPLE + "00", "sha256=" + GITHUB_EXAMPLE.replace('7', 'g'))) {
            assertEquals(Result.err(new Webhook.Refusal.Malformed("X-Hub-Signature-256")), verify("X-Hub-Signature-256", bad), bad);
        }
        for (String bad : List.of("sha256=" + GITHUB_EXAMPLE, "", GITHUB_EXAMPLE.substring(2), "\u0661".repeat(64))) {
            assertEquals(Result.err(new Webhook.Refusal.Malformed("X-Gitea-Signature")), verify("X-Gitea-Signature", bad), bad);
        }
    }

    @Test
    void theSecretIsTrimmedAndBlankMeansOff() {
        assertEquals(Optional.of(SECRET), Webhook.secret(Bytes.utf8("  It's a Secret to Everybody\n")));
        assertEquals(Optional.empty(), Webhook.secret(Bytes.utf8(" \n\t")));
        assertEquals(Optional.empty(), Webhook.secret(Bytes.EMPTY));
    }
}
