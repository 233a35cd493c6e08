package jmirage.caldav.store;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/**
 * The synchronisation state of one collection (RFC 6578): its current sync token (the first part
 * of its CalendarServer getctag), and enough history to tell which members changed since an
 * earlier token. The token is defined by the content (the members' names and ETags), so a server
 * restart or a replica with the same calendar gives the same token; history is kept in memory,
 * bounded, and its newest steps are written at a clean stop ({@link SyncHistoryFile}). Immutable.
 *
 * <p>The token is the sum, modulo 2^256, of SHA-256(name NUL etag) over the members, so one change
 * updates it in constant time (subtract the old term, add the new). History is a chain of steps
 * (the token before, the name that changed), newest first, shared between successive logs; it
 * keeps at least {@link #HISTORY} steps (the oldest are cut off in bulk, so a change stays O(1)
 * amortised).
 *
 * <p>What {@link #changedSince} answers, exactly: the names of the steps recorded after the last
 * time {@code token} was current. That contains every name whose ETag differs between then and
 * now; it has more only when a name changed and came back to the ETag it had (A to B to A). Equal
 * tokens mean equal content (up to a SHA-256 collision), so the current token answers the empty set
 * even when it was never recorded (just after a restart).
 */
public final class SyncLog {

    /** How many changes back a token stays valid, at least. */
    public static final int HISTORY = 2_000;

    /** RFC 6578 6.2: the token is a URI; this prefix, then 64 hex digits. */
    public static final String TOKEN_PREFIX = "http://jmirage.org/ns/sync/";

    private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(256);

    private record Step(BigInteger tokenBefore, String name, Step older, int depth) {}

    /** One step of the history as it leaves memory: the token before the change, and the member that changed. */
    public record Change(String tokenBefore, String name) {}

    private final BigInteger sum;
    private final Step newest;

    private SyncLog(BigInteger sum, Step newest) {
        this.sum = sum;
        this.newest = newest;
    }

    /** The log of a collection just read from storage: the token of its content, no history. */
    public static SyncLog of(SortedMap<String, Resource> members) {
        BigInteger sum = BigInteger.ZERO;
        for (Map.Entry<String, Resource> e : members.entrySet()) {
            sum = sum.add(term(e.getKey(), e.getValue().etag()));
        }
        return new SyncLog(sum.mod(MODULUS), null);
    }

    /**
     * The log of members known by a version each (what changes when the member does, as an ETag
     * does for an object): the token of that content, no history. A calendar home's members are its
     * calendars, versioned by their ctag ({@link HomeSync}).
     */
    public static SyncLog ofVersions(Map<String, String> versions) {
        BigInteger sum = BigInteger.ZERO;
        for (Map.Entry<String, String> e : versions.entrySet()) {
            sum = sum.add(term(e.getKey(), e.getValue()));
        }
        return new SyncLog(sum.mod(MODULUS), null);
    }

    /**
     * {@code content}'s log (read from storage, no history) with the steps that led to it, oldest
     * first, as {@link #recent} gave them before a stop; empty when a token is not one of ours.
     */
    public static Optional<SyncLog> resume(SyncLog content, List<Change> history) {
        Step newest = null;
        for (Change c : history) {
            Optional<BigInteger> before = parse(c.tokenBefore());
            if (before.isEmpty()) {
                return Optional.empty();
            }
            newest = new Step(before.get(), c.name(), newest, newest == null ? 1 : newest.depth() + 1);
        }
        return Optional.of(new SyncLog(content.sum, newest));
    }

    /** The newest {@code max} steps of the history, oldest first. */
    public List<Change> recent(int max) {
        ArrayDeque<Change> steps = new ArrayDeque<>();
        for (Step s = newest; s != null && steps.size() < max; s = s.older()) {
            steps.addFirst(new Change(format(s.tokenBefore()), s.name()));
        }
        return List.copyOf(steps);
    }

    /** Whether {@code token} has the form of this server's tokens. */
    public static boolean wellFormed(String token) {
        return parse(token).isPresent();
    }

    /** The token to hand out now, a URI (RFC 6578 6.2). */
    public String token() {
        return format(sum);
    }

    /**
     * This log after member {@code name} changed from {@code oldEtag} to {@code newEtag} (null: did
     * not exist / was deleted). No change (equal ETags) leaves the log as it is.
     */
    public SyncLog record(String name, String oldEtag, String newEtag) {
        if (java.util.Objects.equals(oldEtag, newEtag)) {
            return this;
        }
        BigInteger next = sum;
        if (oldEtag != null) {
            next = next.subtract(term(name, oldEtag));
        }
        if (newEtag != null) {
            next = next.add(term(name, newEtag));
        }
        int depth = newest == null ? 1 : newest.depth() + 1;
        Step older = newest;
        if (depth > 2 * HISTORY) {
            older = truncate(newest, HISTORY - 1);
            depth = HISTORY;
        }
        return new SyncLog(next.mod(MODULUS), new Step(sum, name, older, depth));
    }

    /**
     * The names of the members that changed (added, modified or deleted) since {@code token} was
     * current, or empty when the token is not one this log knows (too old, another server, made
     * up): the caller answers 403 with DAV:valid-sync-token.
     */
    public Optional<Set<String>> changedSince(String token) {
        Optional<BigInteger> wanted = parse(token);
        if (wanted.isEmpty()) {
            return Optional.empty();
        }
        if (wanted.get().equals(sum)) {
            return Optional.of(Set.of());
        }
        Set<String> names = new HashSet<>();
        for (Step s = newest; s != null; s = s.older()) {
            names.add(s.name());
            if (s.tokenBefore().equals(wanted.get())) {
                return Optional.of(Set.copyOf(names));
            }
        }
        return Optional.empty();
    }

    /** How many steps of history this log holds (between {@link #HISTORY} and twice it once full). */
    public int historySize() {
        return newest == null ? 0 : newest.depth();
    }

    /** The newest {@code keep} steps of the chain, copied (the older ones are dropped). */
    private static Step truncate(Step newest, int keep) {
        Step[] kept = new Step[keep];
        Step s = newest;
        for (int i = 0; i < keep && s != null; i++, s = s.older()) {
            kept[i] = s;
        }
        Step copy = null;
        int depth = 0;
        for (int i = keep - 1; i >= 0; i--) {
            if (kept[i] != null) {
                copy = new Step(kept[i].tokenBefore(), kept[i].name(), copy, ++depth);
            }
        }
        return copy;
    }

    private static BigInteger term(String name, String etag) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(etag.getBytes(StandardCharsets.UTF_8));
            return new BigInteger(1, sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    private static String format(BigInteger value) {
        char[] hex = new char[64];
        Arrays.fill(hex, '0');
        String digits = value.toString(16);
        digits.getChars(0, digits.length(), hex, 64 - digits.length());
        return TOKEN_PREFIX + new String(hex);
    }

    private static Optional<BigInteger> parse(String token) {
        if (token == null || !token.startsWith(TOKEN_PREFIX) || token.length() != TOKEN_PREFIX.length() + 64) {
            return Optional.empty();
        }
        String hex = token.substring(TOKEN_PREFIX.length());
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return Optional.empty();
            }
        }
        return Optional.of(new BigInteger(hex, 16));
    }
}
