package jmirage.caldav.store;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import jmirage.core.Bytes;
import jmirage.core.Random;
import jmirage.core.Result;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The users of the server, from the {@code htpasswd} file at the root of the Kv: one
 * {@code name:hash} line each, the hash in the bcrypt format {@code htpasswd -B} writes
 * ({@code $2y$}). Immutable.
 *
 * <p>Only bcrypt hashes ({@code $2y$}, {@code $2a$}, {@code $2b$}: the versions Bouncy Castle's
 * OpenBSDBCrypt checks) can log in. A line with another format ({@code {SHA}}, {@code $apr1$}, crypt,
 * plain text) is kept out of {@link #names()} and reported in {@link #warnings()}, as is a line
 * whose name this server cannot use (see {@link #validName}). Empty lines and lines starting with
 * '#' are skipped silently.
 */
public final class Users {

    /** A user name: what fits a URL segment and a Kv key, not hidden, without the '@' of share aliases. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");
    /** The cost {@code htpasswd -B} uses by default. */
    public static final int COST = 10;

    private final SortedMap<String, String> hashes;
    private final List<String> warnings;

    private Users(SortedMap<String, String> hashes, List<String> warnings) {
        this.hashes = Collections.unmodifiableSortedMap(new TreeMap<>(hashes));
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Parses the file; lines it cannot use are reported, not fatal (the other users still log in).
     * Only a file that is not UTF-8 text is an error.
     */
    public static Result<Users, StoreError> parse(Bytes htpasswd) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(htpasswd.toArray())).toString();
        } catch (CharacterCodingException e) {
            return Result.err(new StoreError.BadFile(Layout.HTPASSWD, 0, "not UTF-8 text"));
        }
        TreeMap<String, String> hashes = new TreeMap<>();
        List<String> warnings = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String where = Layout.HTPASSWD + ":" + (i + 1) + ": ";
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                warnings.add(where + "no ':' between name and hash; line skipped");
                continue;
            }
            String name = line.substring(0, colon);
            String hash = line.substring(colon + 1).strip();
            Optional<String> nameProblem = validName(name);
            if (nameProblem.isPresent()) {
                warnings.add(where + nameProblem.get() + "; line skipped");
            } else if (!BCRYPT.matcher(hash).matches()) {
                warnings.add(where + "user '" + name + "' has a " + format(hash)
                        + " hash, not bcrypt: that user cannot log in (set the password again with htpasswd -B)");
            } else if (hashes.containsKey(name)) {
                warnings.add(where + "user '" + name + "' appears again; the first line is used");
            } else {
                hashes.put(name, hash);
            }
        }
        return Result.ok(new Users(hashes, warnings));
    }

    public static Users none() {
        return new Users(new TreeMap<>(), List.of());
    }

    /**
     * Why {@code name} cannot be a user (or an owner in the shares file), or empty if it can: 1 to 64
     * of {@code A-Z a-z 0-9 . _ -}, not starting with '.'; so no '@', which starts a share alias.
     */
    public static Optional<String> validName(String name) {
        if (!NAME.matcher(name).matches()) {
            return Optional.of("user name '" + name + "' is not 1 to 64 of A-Z a-z 0-9 . _ -");
        }
        if (name.startsWith(".")) {
            return Optional.of("user name '" + name + "' starts with '.'");
        }
        return Optional.empty();
    }

    /** The users who can log in (a valid name with a bcrypt hash). */
    public Set<String> names() {
        return hashes.keySet();
    }

    /** Whether {@code password} is {@code user}'s (bcrypt; slow by design: the shell caches successes). */
    public boolean verify(String user, String password) {
        String hash = hashes.get(user);
        if (hash == null) {
            return false;
        }
        return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
    }

    /** Problems found while parsing (a line without a colon, a hash that is not bcrypt), for the log. */
    public List<String> warnings() {
        return warnings;
    }

    /** These users with {@code name} added or its hash replaced (a bcrypt hash, as {@link #hash} makes). */
    public Users withUser(String name, String bcryptHash) {
        if (validName(name).isPresent() || !BCRYPT.matcher(bcryptHash).matches()) {
            throw new IllegalArgumentException("not a user name and bcrypt hash: " + name);
        }
        TreeMap<String, String> copy = new TreeMap<>(hashes);
        copy.put(name, bcryptHash);
        return new Users(copy, warnings);
    }

    /** The htpasswd file of these users, one {@code name:hash} line each, as {@code htpasswd} writes it. */
    public Bytes encode() {
        StringBuilder out = new StringBuilder();
        hashes.forEach((name, hash) -> out.append(name).append(':').append(hash).append('\n'));
        return Bytes.utf8(out.toString());
    }

    /** A {@code $2y$} bcrypt hash of {@code password} at cost {@link #COST}, with a fresh salt, as {@code htpasswd -B} makes. */
    public static String hash(String password, Random random) {
        byte[] salt = random.bytes(16).toArray();
        return OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, COST);
    }

    private static String format(String hash) {
        if (hash.startsWith("{SHA}")) {
            return "{SHA}";
        }
        if (hash.startsWith("$apr1$")) {
            return "$apr1$ (MD5)";
        }
        if (hash.startsWith("$2")) {
            return "malformed bcrypt";
        }
        if (hash.startsWith("$") && hash.indexOf('$', 1) > 0) {
            return "'" + hash.substring(0, hash.indexOf('$', 1) + 1) + "' (crypt)";
        }
        return hash.length() == 13 ? "crypt (DES) or plain-text" : "plain-text or unknown";
    }
}
