package jmirage.authoritative.store;

import jmirage.core.net.AddressError;

/** Why a zone management option ({@code --secondary}, {@code --notify}, {@code --allow-transfer}, {@code --zone-poll}) is refused. */
public sealed interface ZoneOptionError {
    /** The option refused, as the operator wrote it ({@code --notify}). */
    String option();

    /** The value does not have the option's form. */
    record Form(String option, String value, String expected) implements ZoneOptionError {}

    /** A zone or key name in the value is no domain name. */
    record BadName(String option, String value, String name) implements ZoneOptionError {}

    /** An address, endpoint or prefix in the value does not parse. */
    record BadAddress(String option, String value, AddressError error) implements ZoneOptionError {}

    /** The key the value names ({@code #KEY}) is in no keys file of the store: transfers or notifies with it fail. */
    record UnknownKey(String option, String value, jmirage.dns.Name key) implements ZoneOptionError {}

    /** A number out of its range. */
    record OutOfRange(String option, long value, String range) implements ZoneOptionError {}

    default String describe() {
        return option() + ": " + reason();
    }

    /** What is wrong, without the option's name. */
    default String reason() {
        return switch (this) {
            case Form f -> "expected " + f.expected() + ", got " + f.value();
            case BadName n -> "bad name " + n.name() + " in " + n.value();
            case BadAddress a -> a.error().describe() + " (in " + a.value() + ")";
            case UnknownKey k -> "key " + k.key() + " (in " + k.value() + ") is in no keys file of the store";
            case OutOfRange r -> "must be " + r.range() + ", got " + r.value();
        };
    }
}
