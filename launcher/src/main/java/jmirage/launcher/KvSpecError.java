package jmirage.launcher;

/** The ways a {@code --kv} spec fails to parse ({@link KvSpec#parse}); each case holds the whole spec as written. */
public sealed interface KvSpecError {

    /** Not one of {@link KvSpec#FORMS}. */
    record UnknownForm(String spec) implements KvSpecError {}

    /** {@code dir:}, {@code block:} or {@code git:} with nothing after it. */
    record MissingPath(String spec, String scheme) implements KvSpecError {}

    /** The path (after percent-decoding) is no path on this system: a NUL, say. */
    record BadPath(String spec, String path, String reason) implements KvSpecError {}

    /** {@code dir:} and {@code block:} take no {@code #} or {@code ?}: in a path they are written {@code %23}, {@code %3F}. */
    record NoOptions(String spec, String scheme, char found) implements KvSpecError {}

    /** The fragment is no git branch name (git check-ref-format). */
    record BadBranch(String spec, String branch) implements KvSpecError {}

    /** A query option this store does not know. */
    record UnknownOption(String spec, String name) implements KvSpecError {}

    /** A query option given twice. */
    record RepeatedOption(String spec, String name) implements KvSpecError {}

    /** {@code remote=} or {@code key=} with nothing after it. */
    record MissingValue(String spec, String name) implements KvSpecError {}

    /** {@code key=} (an ssh key) without a {@code remote=} to use it for. */
    record KeyWithoutRemote(String spec) implements KvSpecError {}

    /** A {@code %} not followed by two hex digits, or escapes that are no UTF-8. */
    record BadEscape(String spec, String escape) implements KvSpecError {}

    default String describe() {
        return describe("--kv");
    }

    /** The line for the spec given to {@code parameter}: {@code --kv}, or {@code --store NAME} (decision 19). */
    default String describe(String parameter) {
        return switch (this) {
            case UnknownForm(String spec) -> parameter + " '" + spec + "' is not a store: expected " + KvSpec.FORMS;
            case MissingPath(String spec, String scheme) -> parameter + " '" + spec + "': " + scheme + ": needs "
                    + switch (scheme) {
                        case "dir" -> "a folder path";
                        case "block" -> "an image file";
                        default -> "a repository path";
                    };
            case BadPath(String spec, String path, String reason) -> parameter + " '" + spec + "': not a path: '" + path + "' (" + reason + ")";
            case NoOptions(String spec, String scheme, char found) -> parameter + " '" + spec + "': " + scheme
                    + ": takes no '" + found + "' (write it %" + String.format("%02X", (int) found) + " in a path)";
            case BadBranch(String spec, String branch) -> parameter + " '" + spec + "': '" + branch + "' is not a branch name";
            case UnknownOption(String spec, String name) -> parameter + " '" + spec + "': unknown option '" + name
                    + "' (git: takes remote=URL and key=FILE)";
            case RepeatedOption(String spec, String name) -> parameter + " '" + spec + "': " + name + "= given twice";
            case MissingValue(String spec, String name) -> parameter + " '" + spec + "': " + name + "= needs "
                    + (name.equals("remote") ? "a URL" : "an ssh private key file");
            case KeyWithoutRemote(String spec) -> parameter + " '" + spec + "': key= is the ssh key of a remote: add remote=URL";
            case BadEscape(String spec, String escape) -> parameter + " '" + spec + "': bad %-escape '" + escape
                    + "' (write % itself as %25)";
        };
    }
}
