package jmirage.caldav.shell;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import jmirage.caldav.store.Users;

/**
 * Logins whose password was verified, so that a client's every request does not pay bcrypt (slow
 * by design, about a tenth of a second at cost 10). Holds only a SHA-256 of user and password, never
 * the password; bounded, the least recently used forgotten first; emptied when the users change (a
 * reload of htpasswd, a changed or removed password). On the loop only.
 */
public final class VerifiedLogins {

    public static final int MAX_ENTRIES = 4096;

    private final Map<String, Boolean> verified = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_ENTRIES;
        }
    };
    private Users users;

    /** Whether {@code user} with {@code password} was verified against {@code current} already. */
    public boolean known(Users current, String user, String password) {
        if (current != users) {
            verified.clear();
            users = current;
            return false;
        }
        return verified.containsKey(key(user, password));
    }

    /** Remembers a successful verification against {@code current}. */
    public void remember(Users current, String user, String password) {
        if (current != users) {
            verified.clear();
            users = current;
        }
        verified.put(key(user, password), Boolean.TRUE);
    }

    private static String key(String user, String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(user.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(password.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
