package jmirage.canopy.content;

import java.time.Instant;
import java.util.Objects;

/**
 * When a file was first committed and last changed, from the git history. The shell fills it (a
 * walk of the log); the core never reads a clock, so a file without history gets {@link #UNKNOWN}.
 */
public record History(Instant created, Instant updated) {

    /** For a file the shell found no history for: the epoch, so it sorts oldest. */
    public static final History UNKNOWN = new History(Instant.EPOCH, Instant.EPOCH);

    public History {
        Objects.requireNonNull(created);
        Objects.requireNonNull(updated);
        Rfc3339.requireFourDigitYear(created);
        Rfc3339.requireFourDigitYear(updated);
    }
}
