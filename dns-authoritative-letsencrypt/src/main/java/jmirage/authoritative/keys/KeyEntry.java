package jmirage.authoritative.keys;

import java.util.Objects;
import jmirage.dns.Name;
import jmirage.dns.tsig.TsigKey;

/**
 * One TSIG key with what its name says it may do: {@code privilege} on {@code scope} and every zone
 * below it ({@code client._update.} has the root as its scope: every zone).
 */
public record KeyEntry(TsigKey key, Operation privilege, Name scope) {
    public KeyEntry {
        Objects.requireNonNull(key);
        Objects.requireNonNull(privilege);
        Objects.requireNonNull(scope);
    }

    /** Whether this key may do {@code operation} on the zone {@code zone}. */
    public boolean allows(Operation operation, Name zone) {
        return privilege.grants(operation) && zone.isSubdomainOf(scope);
    }

    public Name name() {
        return key.name();
    }
}
