package jmirage.caldav.store;

import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Result;

/**
 * Who may use whose calendars, from the {@code shares} file at the root of the Kv (syntax in the
 * module README): groups of users, and grants of one calendar (or a whole home) to users or groups,
 * read-only or read-write. Nothing is shared unless a line says so. Immutable.
 */
public final class Shares {

    /** A calendar of another user that {@code user} was granted. */
    public record Grant(String owner, String calendar, Access access) {}

    public static Result<Shares, StoreError> parse(Bytes file) {
        throw new UnsupportedOperationException("seam: the store helper implements this");
    }

    public static Shares none() {
        throw new UnsupportedOperationException("seam: the store helper implements this");
    }

    /** What {@code user} may do with {@code owner}'s calendar {@code calendar} (OWNER when user is owner). */
    public Access access(String user, String owner, String calendar) {
        throw new UnsupportedOperationException("seam: the store helper implements this");
    }

    /** The calendars of others that {@code user} was granted, existing or not. */
    public List<Grant> grantsTo(String user) {
        throw new UnsupportedOperationException("seam: the store helper implements this");
    }
}
