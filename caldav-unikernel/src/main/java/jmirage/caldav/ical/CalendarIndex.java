package jmirage.caldav.ical;

import java.time.Instant;
import java.util.Optional;

/**
 * What the server keeps of a stored calendar object resource without parsing it again: its UID,
 * its component kind, and the span of time its instances may fall in (for time-range queries to
 * skip it quickly). {@code earliest} empty: no lower bound known; {@code latest} empty: unbounded
 * (an endless recurrence, or no date at all for a todo that matches every range).
 */
public record CalendarIndex(String uid, ComponentKind kind, Optional<Instant> earliest, Optional<Instant> latest,
                            boolean recurring) {

    /** Whether an instance may overlap [start, end); false only when it surely cannot. */
    public boolean mayOverlap(Optional<Instant> start, Optional<Instant> end) {
        if (start.isPresent() && latest.isPresent() && !latest.get().isAfter(start.get())) {
            return false;
        }
        return end.isEmpty() || earliest.isEmpty() || earliest.get().isBefore(end.get());
    }
}
