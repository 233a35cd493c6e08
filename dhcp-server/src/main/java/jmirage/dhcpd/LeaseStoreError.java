package jmirage.dhcpd;

import jmirage.core.kv.Key;
import jmirage.core.kv.KvError;

/** Why the leases could not be loaded from the Kv at boot ({@link LeaseStore#load}). */
sealed interface LeaseStoreError {

    record CannotRead(Key key, KvError error) implements LeaseStoreError {}

    record CannotList(Key prefix, KvError error) implements LeaseStoreError {}

    default String describe() {
        return switch (this) {
            case CannotRead(Key key, KvError e) -> "cannot read " + key + ": " + e.describe();
            case CannotList(Key prefix, KvError e) -> "cannot list " + prefix + ": " + e.describe();
        };
    }
}
