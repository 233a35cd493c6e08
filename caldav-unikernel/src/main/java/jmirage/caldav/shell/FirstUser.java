package jmirage.caldav.shell;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import jmirage.caldav.ical.ComponentKind;
import jmirage.caldav.store.Collection;
import jmirage.caldav.store.Layout;
import jmirage.caldav.store.SyncLog;
import jmirage.caldav.store.Users;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.caldav.xml.XmlName;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.EntryKind;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;

/**
 * The first boot on a store without {@code htpasswd}: a user {@link #USER} with a random password,
 * stored only as its bcrypt hash, and a calendar {@link #CALENDAR} in their home so that a client
 * sees one at once. The password is handed back once, for the log; it is written nowhere.
 */
public final class FirstUser {

    /** "admin": the name operators look for first; the README says how to add others with htpasswd -B. */
    public static final String USER = "admin";
    public static final String CALENDAR = "calendar";
    public static final String DISPLAY_NAME = "Calendar";
    /** 24 characters of 57 (no 0, O, 1, l, I): about 140 bits, and easy to read off a log line. */
    public static final int PASSWORD_LENGTH = 24;
    static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private FirstUser() {}

    /**
     * Seeds the store if it has no {@code htpasswd}: the password made, or empty when the store had
     * users already (nothing written).
     */
    public static Promise<Result<Optional<String>, KvError>> seed(Kv kv, Random random, Instant now) {
        return kv.exists(Layout.HTPASSWD).flatMap(htpasswd -> switch (htpasswd) {
            case Result.Err<Optional<EntryKind>, KvError>(KvError e) -> Promise.resolved(Result.<Optional<String>, KvError>err(e));
            case Result.Ok<Optional<EntryKind>, KvError>(Optional<EntryKind> kind) when kind.isPresent() ->
                    Promise.resolved(Result.<Optional<String>, KvError>ok(Optional.empty()));
            case Result.Ok<Optional<EntryKind>, KvError> absent -> kv.exists(Layout.home(USER)).flatMap(home -> switch (home) {
                case Result.Err<Optional<EntryKind>, KvError>(KvError e) -> Promise.resolved(Result.<Optional<String>, KvError>err(e));
                case Result.Ok<Optional<EntryKind>, KvError>(Optional<EntryKind> homeKind) -> {
                    String password = password(random);
                    List<Change> changes = new java.util.ArrayList<>();
                    changes.add(new Change.Set(Layout.HTPASSWD, Bytes.utf8(USER + ":" + Users.hash(password, random) + "\n")));
                    if (homeKind.isEmpty()) {
                        changes.add(new Change.Set(Layout.properties(USER, CALENDAR), Layout.encodeProperties(calendar(now))));
                    }
                    Batch batch = new Batch("caldav", "caldav: first boot, user " + USER
                            + (homeKind.isEmpty() ? " and calendar " + CALENDAR : ""), changes);
                    yield kv.commit(batch).map(r -> r.map(u -> Optional.of(password)));
                }
            });
        });
    }

    /** The calendar made for the first user: events and todos, named for people. */
    static Collection calendar(Instant now) {
        Map<XmlName, Element> dead = new TreeMap<>();
        dead.put(DavNames.DISPLAYNAME, Element.text(DavNames.DISPLAYNAME, DISPLAY_NAME));
        return new Collection(USER, CALENDAR, EnumSet.of(ComponentKind.VEVENT, ComponentKind.VTODO), new TreeMap<>(dead),
                new TreeMap<>(), SyncLog.of(new TreeMap<>()), now, now);
    }

    static String password(Random random) {
        StringBuilder b = new StringBuilder(PASSWORD_LENGTH);
        for (int i = 0; i < PASSWORD_LENGTH; i++) {
            b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }
}
