package jmirage.caldav.store;

import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/**
 * The synchronisation state of one collection (RFC 6578): its current sync token, which is also
 * its CalendarServer getctag, and enough history to tell which members changed since an earlier
 * token. The token is defined by the content (the members' names and ETags), so a server restart
 * or a replica with the same calendar gives the same token; history is kept in memory, bounded.
 * Immutable.
 */
public final class SyncLog {

    /** The log of a collection just read from storage: the token of its content, no history. */
    public static SyncLog of(SortedMap<String, Resource> members) {
        throw new UnsupportedOperationException("seam: the store helper implements this");
    }

    /** The token to hand out now, a URI (RFC 6578 6.2). */
    public String token() {
        throw new UnsupportedOperationException("seam: the store helper implements this");
    }

    /**
     * This log after member {@code name} changed from {@code oldEtag} to {@code newEtag} (null: did
     * not exist / was deleted).
     */
    public SyncLog record(String name, String oldEtag, String newEtag) {
        throw new UnsupportedOperationException("seam: the store helper implements this");
    }

    /**
     * The names of the members that changed (added, modified or deleted) since {@code token} was
     * current, or empty when the token is not one this log knows (too old, another server, made
     * up): the caller answers 403 with DAV:valid-sync-token.
     */
    public Optional<Set<String>> changedSince(String token) {
        throw new UnsupportedOperationException("seam: the store helper implements this");
    }
}
