package jmirage.core.kv;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import jmirage.core.Promise;
import jmirage.core.Result;

/**
 * A capability of some {@link Kv} stores: a history of changes, as a git store keeps one (decision
 * 0005). A unikernel claims it with {@link jmirage.core.DeviceProvider#kvHistory()}, empty for a store
 * that keeps none (mem, dir, block). Canopy dates its articles with it.
 *
 * <p>Every promise settles on the unikernel's loop, as the Kv's own do.
 */
public interface KvHistory {

    /** When a value was first written and last changed, as the history records it (a commit's committer time). */
    record Dates(Instant created, Instant updated) {
        public Dates {
            Objects.requireNonNull(created);
            Objects.requireNonNull(updated);
        }
    }

    /**
     * The dates of every value the store holds now, from one walk of the whole history (not one walk
     * per key: a thousand keys cost what one does). A value the history has no change for (none in a
     * store that was never committed to) is absent from the map.
     */
    Promise<Result<Map<Key, Dates>, KvError>> datesOfEveryValue();
}
