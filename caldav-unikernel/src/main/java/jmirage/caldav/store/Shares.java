package jmirage.caldav.store;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.kv.Key;

/**
 * Who may use whose calendars, from the {@code shares} file at the root of the Kv (syntax in the
 * module README): groups of users, and grants of one calendar (or a whole home) to users or groups,
 * read-only or read-write. Nothing is shared unless a line says so. Immutable.
 *
 * <pre>
 * # a comment; blank lines are skipped
 * group family: alice bob carol
 * share alice/work with bob read
 * share alice/family with @family carol read-write
 * share bob/* with alice read
 * </pre>
 *
 * A group may be used before the line that defines it; groups hold users, not other groups. A
 * grant to the owner themselves is ignored (the owner has every right already). When several lines
 * grant the same calendar to a user, the strongest access counts.
 */
public final class Shares {

    /** The calendar part of a grant that covers every calendar of the owner's home. */
    public static final String WHOLE_HOME = "*";

    /** A calendar of another user that {@code user} was granted ({@code calendar} is {@link #WHOLE_HOME} for all of them). */
    public record Grant(String owner, String calendar, Access access) {}

    /** One {@code share} line as written, before its groups are expanded. */
    private record Line(int number, String owner, String calendar, List<String> to, Access access) {}

    /** By grantee, then owner, then calendar ({@link #WHOLE_HOME} included): the strongest access. */
    private final Map<String, Map<String, Map<String, Access>>> byUser;

    private Shares(Map<String, Map<String, Map<String, Access>>> byUser) {
        this.byUser = byUser;
    }

    public static Result<Shares, StoreError> parse(Bytes file) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(file.toArray())).toString();
        } catch (CharacterCodingException e) {
            return Result.err(bad(0, "not UTF-8 text"));
        }
        Map<String, Set<String>> groups = new TreeMap<>();
        List<Line> shares = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+");
            switch (words[0]) {
                case "group" -> {
                    // group NAME: USER...
                    if (words.length < 2 || !words[1].endsWith(":")) {
                        return Result.err(bad(number, "expected 'group NAME: USER...'"));
                    }
                    String name = words[1].substring(0, words[1].length() - 1);
                    Optional<String> problem = Users.validName(name);
                    if (problem.isPresent()) {
                        return Result.err(bad(number, "group " + problem.get().replace("user name", "name")));
                    }
                    if (groups.containsKey(name)) {
                        return Result.err(bad(number, "group '" + name + "' is defined twice"));
                    }
                    Set<String> members = new LinkedHashSet<>();
                    for (int w = 2; w < words.length; w++) {
                        Optional<String> memberProblem = Users.validName(words[w]);
                        if (memberProblem.isPresent()) {
                            return Result.err(bad(number, memberProblem.get()
                                    + (words[w].startsWith("@") ? " (a group holds users, not groups)" : "")));
                        }
                        members.add(words[w]);
                    }
                    groups.put(name, members);
                }
                case "share" -> {
                    // share OWNER/CALENDAR with WHO... read|read-write
                    if (words.length < 5 || !words[2].equals("with")) {
                        return Result.err(bad(number, "expected 'share OWNER/CALENDAR with USER|@GROUP... read|read-write'"));
                    }
                    Result<Line, StoreError> parsed = share(number, words);
                    if (parsed instanceof Result.Err<Line, StoreError>(StoreError e)) {
                        return Result.err(e);
                    }
                    shares.add(parsed.orElseThrow());
                }
                default -> {
                    return Result.err(bad(number, "unknown directive '" + words[0] + "' (expected 'group' or 'share')"));
                }
            }
        }
        Map<String, Map<String, Map<String, Access>>> byUser = new TreeMap<>();
        for (Line share : shares) {
            for (String who : share.to()) {
                Set<String> users;
                if (who.startsWith("@")) {
                    users = groups.get(who.substring(1));
                    if (users == null) {
                        return Result.err(bad(share.number(), "no group '" + who.substring(1) + "' is defined"));
                    }
                } else {
                    users = Set.of(who);
                }
                for (String user : users) {
                    if (!user.equals(share.owner())) {
                        byUser.computeIfAbsent(user, u -> new TreeMap<>())
                                .computeIfAbsent(share.owner(), o -> new TreeMap<>())
                                .merge(share.calendar(), share.access(), Shares::strongest);
                    }
                }
            }
        }
        return Result.ok(new Shares(freeze(byUser)));
    }

    public static Shares none() {
        return new Shares(Map.of());
    }

    /** What {@code user} may do with {@code owner}'s calendar {@code calendar} (OWNER when user is owner). */
    public Access access(String user, String owner, String calendar) {
        if (user.equals(owner)) {
            return Access.OWNER;
        }
        Map<String, Access> calendars = byUser.getOrDefault(user, Map.of()).getOrDefault(owner, Map.of());
        return strongest(calendars.getOrDefault(calendar, Access.NONE), calendars.getOrDefault(WHOLE_HOME, Access.NONE));
    }

    /**
     * The calendars of others that {@code user} was granted, existing or not, by owner and calendar;
     * a grant of a whole home is one {@link Grant} with calendar {@link #WHOLE_HOME}.
     */
    public List<Grant> grantsTo(String user) {
        List<Grant> grants = new ArrayList<>();
        byUser.getOrDefault(user, Map.of()).forEach((owner, calendars) ->
                calendars.forEach((calendar, access) -> grants.add(new Grant(owner, calendar, access))));
        return List.copyOf(grants);
    }

    private static Result<Line, StoreError> share(int number, String[] words) {
        String target = words[1];
        int slash = target.indexOf('/');
        if (slash < 0) {
            return Result.err(bad(number, "'" + target + "' is not OWNER/CALENDAR (or OWNER/*)"));
        }
        String owner = target.substring(0, slash);
        String calendar = target.substring(slash + 1);
        Optional<String> ownerProblem = Users.validName(owner);
        if (ownerProblem.isPresent()) {
            return Result.err(bad(number, ownerProblem.get()));
        }
        if (!calendar.equals(WHOLE_HOME)) {
            if (calendar.isEmpty() || calendar.startsWith(".") || Key.segmentProblem(calendar).isPresent() || calendar.contains("/")) {
                return Result.err(bad(number, "'" + calendar + "' is not a calendar name"));
            }
        }
        Access access = switch (words[words.length - 1]) {
            case "read" -> Access.READ;
            case "read-write" -> Access.READ_WRITE;
            default -> null;
        };
        if (access == null) {
            return Result.err(bad(number, "the line must end with 'read' or 'read-write', not '" + words[words.length - 1] + "'"));
        }
        List<String> to = new ArrayList<>();
        for (int w = 3; w < words.length - 1; w++) {
            String who = words[w];
            Optional<String> problem = Users.validName(who.startsWith("@") ? who.substring(1) : who);
            if (problem.isPresent()) {
                return Result.err(bad(number, problem.get()));
            }
            to.add(who);
        }
        return Result.ok(new Line(number, owner, calendar, List.copyOf(to), access));
    }

    private static Access strongest(Access a, Access b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Map<String, Map<String, Map<String, Access>>> freeze(Map<String, Map<String, Map<String, Access>>> byUser) {
        TreeMap<String, Map<String, Map<String, Access>>> frozen = new TreeMap<>();
        byUser.forEach((user, owners) -> {
            TreeMap<String, Map<String, Access>> o = new TreeMap<>();
            owners.forEach((owner, calendars) -> o.put(owner, Collections.unmodifiableMap(new TreeMap<>(calendars))));
            frozen.put(user, Collections.unmodifiableMap(o));
        });
        return Collections.unmodifiableMap(frozen);
    }

    private static StoreError bad(int line, String detail) {
        return new StoreError.BadFile(Layout.SHARES, line, detail);
    }
}
