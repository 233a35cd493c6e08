package jmirage.caldav.store;

import java.util.List;
import java.util.Set;
import jmirage.core.Bytes;
import jmirage.core.Result;

/**
 * The users of the server, from the {@code htpasswd} file at the root of the Kv: one
 * {@code name:hash} line each, the hash in the bcrypt format {@code htpasswd -B} writes
 * ({@code $2y$}). Immutable.
 */
public final class Users {

    /** Parses the file; lines it cannot use are reported, not fatal (the other users still log in). */
    public static Result<Users, StoreError> parse(Bytes htpasswd) {
        throw new UnsupportedOperationException("seam: the store helper implements this");
    }

    public static Users none() {
        throw new UnsupportedOperationException("seam: the store helper implements this");
    }

    public Set<String> names() {
        throw new UnsupportedOperationException("seam: the store helper implements this");
    }

    /** Whether {@code password} is {@code user}'s (bcrypt; slow by design: the shell caches successes). */
    public boolean verify(String user, String password) {
        throw new UnsupportedOperationException("seam: the store helper implements this");
    }

    /** Problems found while parsing (a line without a colon, a hash that is not bcrypt), for the log. */
    public List<String> warnings() {
        throw new UnsupportedOperationException("seam: the store helper implements this");
    }
}
