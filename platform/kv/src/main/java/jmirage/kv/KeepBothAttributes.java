package jmirage.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import jmirage.core.Bytes;
import jmirage.core.kv.Key;

/**
 * Which keys keep both versions on a merge conflict, from a {@code .gitattributes} file at the root
 * of the store (platform/kv/README.md, "Conflicts: the rule"): a line {@code PATTERN merge=keep-both}
 * marks the keys it matches, as git's own attributes do. Patterns: {@code *} (not across '/') and
 * {@code ?}; without a '/' a pattern matches the last segment at any depth, with one the whole key
 * from the root. As in git, the last line that matches decides: {@code merge=keep-both} sets it,
 * another {@code merge=...}, {@code -merge} or {@code !merge} unsets it. Pure.
 *
 * <p>Our version of a marked key is kept as {@code STEM-conflict-ID.EXT} beside theirs (ID: the
 * first 8 characters of the name {@code shortName} gives the value, a content hash in the git
 * store), so its content is unchanged and its name tells a person what happened.
 */
public final class KeepBothAttributes {

    /** The attributes file's key. */
    public static final Key FILE = Key.of(".gitattributes");
    public static final String ATTRIBUTE = "merge=keep-both";

    private record Rule(Pattern pattern, boolean wholePath, boolean keepBoth) {}

    private KeepBothAttributes() {}

    /** The rule the file sets; empty bytes or no matching line: never keep both. */
    public static <V> ThreeWayMerge.KeepOurs<V> parse(Bytes file, Function<V, String> shortName) {
        List<Rule> rules = new ArrayList<>();
        for (String line : file.toUtf8().split("\r?\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] words = trimmed.split("\\s+");
            Optional<Boolean> merge = Optional.empty();
            for (int i = 1; i < words.length; i++) {
                if (words[i].equals(ATTRIBUTE)) {
                    merge = Optional.of(true);
                } else if (words[i].startsWith("merge=") || words[i].equals("-merge") || words[i].equals("!merge")) {
                    merge = Optional.of(false);
                }
            }
            if (merge.isPresent()) {
                String pattern = words[0].startsWith("/") ? words[0].substring(1) : words[0];
                rules.add(new Rule(glob(pattern), pattern.contains("/"), merge.get()));
            }
        }
        return (key, ours) -> {
            boolean keep = false;
            for (Rule r : rules) {
                if (r.pattern().matcher(r.wholePath() ? key.toString() : key.name()).matches()) {
                    keep = r.keepBoth();
                }
            }
            return keep ? Optional.of(conflictKey(key, shortName.apply(ours))) : Optional.empty();
        };
    }

    /** {@code dir/NAME.ics} as {@code dir/NAME-conflict-ID.ics}. */
    static Key conflictKey(Key key, String id) {
        String name = key.name();
        String tag = "-conflict-" + id.substring(0, Math.min(8, id.length()));
        int dot = name.lastIndexOf('.');
        String renamed = dot > 0 ? name.substring(0, dot) + tag + name.substring(dot) : name + tag;
        return key.parent().child(renamed);
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append("[^/]*");
                case '?' -> regex.append("[^/]");
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
