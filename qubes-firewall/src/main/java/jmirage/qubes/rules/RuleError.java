package jmirage.qubes.rules;

/**
 * Why a client's rules cannot be read. The format's rule for any of them (Qubes 4.x, "firewall rules
 * in 4.x"): drop all the traffic of that client, whatever the rules that did parse.
 */
public sealed interface RuleError {

    /** {@code policy} is missing or is not {@code accept} or {@code drop}. */
    record BadPolicy(String value) implements RuleError {}

    /** A key under the client's tree that is neither {@code policy} nor a four-digit rule number. */
    record NotARule(String key) implements RuleError {}

    /** A rule that does not parse: which, and why. */
    record BadRule(int number, String text, String reason) implements RuleError {}

    default String describe() {
        return switch (this) {
            case BadPolicy(String value) -> value == null ? "no policy" : "policy '" + value + "' is neither accept nor drop";
            case NotARule(String key) -> "'" + key + "' is neither policy nor a rule number NNNN";
            case BadRule(int number, String text, String reason) -> "rule %04d '%s': %s".formatted(number, text, reason);
        };
    }
}
