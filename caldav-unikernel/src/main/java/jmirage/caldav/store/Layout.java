package jmirage.caldav.store;

import java.time.Instant;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;

/**
 * Where the calendars live in the Kv, readable by a person browsing the git repository:
 *
 * <pre>
 * htpasswd                                  users (htpasswd -B)
 * shares                                    groups and grants (README)
 * calendars/USER/CALENDAR/.collection.xml   the calendar's properties (components, displayname, colour...)
 * calendars/USER/CALENDAR/NAME.ics          one calendar object resource each, as the client sent it
 * tls/server.pem, tls/server.key            the HTTPS certificate chain and key
 * </pre>
 *
 * Names starting with '.' are the server's: a client cannot PUT one.
 */
public final class Layout {

    public static final Key HTPASSWD = Key.of("htpasswd");
    public static final Key SHARES = Key.of("shares");
    public static final Key CALENDARS = Key.of("calendars");
    public static final Key TLS_CERTIFICATE = Key.of("tls/server.pem");
    public static final Key TLS_KEY = Key.of("tls/server.key");
    public static final String COLLECTION_FILE = ".collection.xml";

    private Layout() {}

    public static Key home(String user) {
        return CALENDARS.child(user);
    }

    public static Key calendar(String owner, String calendar) {
        return home(owner).child(calendar);
    }

    public static Key properties(String owner, String calendar) {
        return calendar(owner, calendar).child(COLLECTION_FILE);
    }

    public static Key resource(String owner, String calendar, String name) {
        return calendar(owner, calendar).child(name);
    }

    /** The readable properties file of a collection (components and dead properties). */
    public static Bytes encodeProperties(Collection collection) {
        throw new UnsupportedOperationException("seam: the store helper implements this");
    }

    /** Reads the whole store: users, shares, every calendar and its resources, indexed. */
    public static Promise<Result<Store, StoreError>> load(Kv kv, Instant now) {
        throw new UnsupportedOperationException("seam: the store helper implements this");
    }
}
