package jmirage.authoritative.keys;

import java.util.Optional;

/**
 * What a TSIG key may do, named by a label of the key's name as in ocaml-dns's
 * {@code Dns.Authentication}: {@code NAME._update.ZONE}, {@code NAME._transfer.ZONE},
 * {@code NAME._notify.ZONE}. A stronger privilege includes the weaker ones: update covers transfer
 * and notify, transfer covers notify.
 */
public enum Operation {
    NOTIFY("_notify"),
    TRANSFER("_transfer"),
    UPDATE("_update");

    private final String label;

    Operation(String label) {
        this.label = label;
    }

    /** Whether a key with this privilege may do {@code required}. */
    public boolean grants(Operation required) {
        return compareTo(required) >= 0;
    }

    static Optional<Operation> ofLabel(String label) {
        for (Operation o : values()) {
            if (o.label.equalsIgnoreCase(label)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }
}
