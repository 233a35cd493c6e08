package jmirage.http.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Promise;
import jmirage.http.Handler;
import jmirage.http.HttpRequest;
import jmirage.http.HttpResponse;

/**
 * HTTP Basic authentication (RFC 7617) in front of a handler. Use it over TLS only: the password
 * travels in every request. Wrong or missing credentials get 401 with a challenge.
 */
public final class BasicAuth {

    /** Decides whether a user name and password are valid. Runs on the loop: keep it quick. */
    @FunctionalInterface
    public interface Verifier {
        boolean verify(String user, String password);
    }

    /** The user name and password a request carries. */
    public record Credentials(String user, String password) {
        @Override
        public String toString() {
            return "Credentials[user=" + user + ", password=(hidden)]";
        }
    }

    private BasicAuth() {}

    /** {@code inner} behind a Basic challenge for {@code realm}. */
    public static Handler protect(String realm, Verifier verifier, Handler inner) {
        if (realm.indexOf('"') >= 0 || realm.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("realm must not hold quotes or backslashes");
        }
        // RFC 7617 2.1: the charset parameter announces UTF-8 user names and passwords.
        String challenge = "Basic realm=\"" + realm + "\", charset=\"UTF-8\"";
        return request -> {
            Optional<Credentials> credentials = credentials(request);
            if (credentials.isPresent() && verifier.verify(credentials.get().user(), credentials.get().password())) {
                return inner.handle(request);
            }
            return Promise.resolved(HttpResponse.text(401, "authentication required\n")
                    .withHeader("WWW-Authenticate", challenge));
        };
    }

    /** The Basic credentials of {@code request}'s Authorization header, if well formed. */
    public static Optional<Credentials> credentials(HttpRequest request) {
        Optional<String> header = request.headers().get("Authorization");
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().strip();
        int space = value.indexOf(' ');
        // RFC 9110 11.1: the scheme name is case-insensitive.
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Basic")) {
            return Optional.empty();
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(value.substring(space + 1).strip());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String pair = new String(decoded, StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        // RFC 7617 2: the user-id cannot contain a colon; the password may.
        if (colon < 0) {
            return Optional.empty();
        }
        return Optional.of(new Credentials(pair.substring(0, colon), pair.substring(colon + 1)));
    }

    /**
     * A verifier over a fixed table of users and passwords. Passwords are compared as SHA-256
     * digests with {@link MessageDigest#isEqual}, so the time taken says nothing about how much of a
     * guess was right.
     */
    public static Verifier users(Map<String, String> passwords) {
        Map<String, byte[]> digests = new HashMap<>();
        passwords.forEach((user, password) -> digests.put(user, sha256(password)));
        byte[] nobody = sha256("\0no such user\0");
        return (user, password) -> {
            byte[] expected = digests.get(user);
            boolean known = expected != null;
            boolean match = MessageDigest.isEqual(known ? expected : nobody, sha256(password));
            return known && match;
        };
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
