package jmirage.launcher;

import java.util.List;

/** What is wrong with a {@code --store NAME=SPEC} (decision 19): a usage error, found before anything opens. */
public sealed interface NamedStoreError {

    /** Not {@code NAME=SPEC}, or a name that is not lower-case letters, digits and inner hyphens. */
    record NotNameAndSpec(String given) implements NamedStoreError {}

    /** The same name given twice. */
    record Repeated(String name) implements NamedStoreError {}

    /** The spec is not a store. */
    record BadSpec(String name, KvSpecError error) implements NamedStoreError {}

    /** A name the unikernel's claim does not take; {@code claimed}: the names it does. */
    record NotClaimed(String name, String unikernel, List<String> claimed) implements NamedStoreError {
        public NotClaimed {
            claimed = List.copyOf(claimed);
        }
    }

    /** The store is the one {@code other} names too ({@code --kv} or another {@code --store}): one store, one use. */
    record SameStore(String name, String other, String location) implements NamedStoreError {}

    default String describe() {
        return switch (this) {
            case NotNameAndSpec(String given) -> "--store '" + given + "': expected NAME=SPEC, NAME in lower-case letters,"
                    + " digits and inner hyphens";
            case Repeated(String name) -> "--store " + name + "= given twice";
            case BadSpec(String name, KvSpecError error) -> error.describe("--store " + name);
            case NotClaimed(String name, String unikernel, List<String> claimed) -> "--store " + name + ": " + unikernel
                    + " claims no store named '" + name + "' (" + (claimed.isEmpty() ? "it claims none"
                            : "it claims " + String.join(", ", claimed)) + ")";
            case SameStore(String name, String other, String location) -> "--store " + name + ": " + location
                    + " is the store of " + other + " too; give each its own";
        };
    }
}
