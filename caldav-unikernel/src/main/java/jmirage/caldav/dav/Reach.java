package jmirage.caldav.dav;

import java.util.Optional;
import jmirage.caldav.store.Access;
import jmirage.caldav.store.Collection;
import jmirage.caldav.store.Store;

/**
 * How far a user reaches into the calendar a path names, following the shares: a user sees their
 * own home and the aliases of the calendars granted to them, and nothing else.
 *
 * <p>What a user was not granted is {@link Hidden}, answered 404 like a calendar that does not
 * exist (RFC 9110 15.5.4 allows a 404 in place of a 403 "to hide the existence of a forbidden
 * target"): a 403 would tell anyone with an account which calendar names another user has.
 */
public sealed interface Reach {

    /** Another user's home, or an alias of a calendar the user was not granted. */
    record Hidden() implements Reach {}

    /** A place the user reaches, where no calendar exists. */
    record Missing() implements Reach {}

    record Found(Collection collection, Access access) implements Reach {}

    static Reach of(Store store, String user, Target.Calendar target) {
        if (!target.viewer().equals(user)) {
            return new Hidden();
        }
        Access access = target.owner().equals(user) ? Access.OWNER : store.shares().access(user, target.owner(), target.name());
        if (!access.canRead()) {
            return new Hidden();
        }
        Optional<Collection> collection = store.calendar(target.owner(), target.name());
        return collection.<Reach>map(c -> new Found(c, access)).orElseGet(Missing::new);
    }
}
