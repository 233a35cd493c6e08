package jmirage.canopy.content;

import java.util.Map;
import jmirage.core.Bytes;
import jmirage.core.kv.Key;

/**
 * The content repository at one commit, as the core's only input: every file's bytes (what the
 * Kv's git tree holds) and, per file, its dates from the git log. Immutable.
 */
public record Snapshot(Map<Key, Bytes> files, Map<Key, History> history) {

    public Snapshot {
        files = Map.copyOf(files);
        history = Map.copyOf(history);
    }

    /** The file's dates, or {@link History#UNKNOWN} when the shell gave none. */
    public History historyOf(Key file) {
        return history.getOrDefault(file, History.UNKNOWN);
    }
}
