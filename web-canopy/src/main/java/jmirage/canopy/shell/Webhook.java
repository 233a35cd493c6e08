package jmirage.canopy.shell;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.kv.Key;
import jmirage.http.Headers;

/**
 * The refresh webhook's authentication, pure: the HMAC-SHA256 (RFC 2104, FIPS 198-1) of the raw
 * request body under the shared secret, as GitHub ({@code X-Hub-Signature-256: sha256=HEX}), Gitea
 * ({@code X-Gitea-Signature: HEX}) and Forgejo ({@code X-Forgejo-Signature: HEX}) send it. Gitea
 * and Forgejo send more than one of these headers with the same value; every one present must be
 * well-formed and match, so a request cannot pair one good header with a forged one. Compared in
 * constant time.
 */
public final class Webhook {

    /** Where the webhook is: a name starting with a dot is never content, so no article can take it. */
    public static final String PATH = "/.canopy/refresh";

    /** The shared secret, trimmed; absent or blank: the webhook is off. */
    public static final Key SECRET = Key.of(".config/webhook_secret");

    /** The signature headers, in the order they are reported. */
    static final List<String> HEADERS = List.of("X-Hub-Signature-256", "X-Gitea-Signature", "X-Forgejo-Signature");

    private static final int HMAC_BYTES = 32;
    private static final HexFormat HEX = HexFormat.of();

    /** Why a request was not accepted. */
    public sealed interface Refusal {
        /** None of {@link #HEADERS}. */
        record Unsigned() implements Refusal {}

        /** A header whose value is not the form its sender writes. */
        record Malformed(String header) implements Refusal {}

        /** A well-formed signature of another body or secret. */
        record Mismatch(String header) implements Refusal {}

        default String describe() {
            return switch (this) {
                case Unsigned u -> "no signature header (" + String.join(", ", HEADERS) + ")";
                case Malformed(String header) -> header + " is not a hex HMAC-SHA256";
                case Mismatch(String header) -> header + " does not match the body under the configured secret";
            };
        }
    }

    private Webhook() {}

    /** The secret as stored: trimmed, empty when blank (then the webhook is off). */
    public static Optional<Bytes> secret(Bytes stored) {
        String text = stored.toUtf8().strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(Bytes.utf8(text));
    }

    /** The header names that carried a valid signature, or why the request is refused. */
    public static Result<List<String>, Refusal> verify(Bytes secret, Headers headers, Bytes body) {
        byte[] expected = hmac(secret, body);
        List<String> matched = new ArrayList<>();
        for (String name : HEADERS) {
            for (String value : headers.all(name)) {
                Optional<byte[]> given = parse(name, value);
                if (given.isEmpty()) {
                    return Result.err(new Refusal.Malformed(name));
                }
                if (!MessageDigest.isEqual(expected, given.get())) {
                    return Result.err(new Refusal.Mismatch(name));
                }
                matched.add(name);
            }
        }
        return matched.isEmpty() ? Result.err(new Refusal.Unsigned()) : Result.ok(List.copyOf(matched));
    }

    /** The 32 bytes a header value carries: {@code sha256=} and 64 hex digits for GitHub's, the 64 digits alone for the others. */
    static Optional<byte[]> parse(String header, String value) {
        String hex = value.strip();
        if (header.equals("X-Hub-Signature-256")) {
            if (!hex.regionMatches(true, 0, "sha256=", 0, 7)) {
                return Optional.empty();
            }
            hex = hex.substring(7);
        }
        if (hex.length() != 2 * HMAC_BYTES || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128)) {
            return Optional.empty();
        }
        return Optional.of(HEX.parseHex(hex.toLowerCase(java.util.Locale.ROOT)));
    }

    /** HMAC-SHA256 of {@code body} under {@code secret}, the value a sender signs with. */
    public static byte[] hmac(Bytes secret, Bytes body) {
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("an empty secret: the webhook is off, see secret()");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.toArray(), "HmacSHA256"));
            return mac.doFinal(body.toArray());
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** {@code sha256=HEX}, GitHub's header value for {@code body}. */
    public static String gitHubSignature(Bytes secret, Bytes body) {
        return "sha256=" + HEX.formatHex(hmac(secret, body));
    }
}
