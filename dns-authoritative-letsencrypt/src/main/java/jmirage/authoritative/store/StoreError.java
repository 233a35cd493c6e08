package jmirage.authoritative.store;

import jmirage.core.kv.KvError;
import jmirage.dns.Name;

/** Why the zone store could not read or write the Kv. */
public sealed interface StoreError {
    /** Writing the sample zone into an empty store failed. */
    record Seeding(KvError error) implements StoreError {}

    /** Listing the top of the store failed. */
    record Listing(KvError error) implements StoreError {}

    /** Writing a zone of ours back ({@code file}, one batch) failed: the update is not stored. */
    record Writing(String file, KvError error) implements StoreError {}

    /** Keeping the copy of a secondary zone failed (it is served all the same). */
    record KeepingCopy(Name zone, KvError error) implements StoreError {}

    default String describe() {
        return switch (this) {
            case Seeding s -> "seeding the sample zone: " + s.error().describe();
            case Listing l -> "listing the store: " + l.error().describe();
            case Writing w -> "writing " + w.file() + ": " + w.error().describe();
            case KeepingCopy k -> "keeping the copy of " + k.zone() + ": " + k.error().describe();
        };
    }
}
