package jmirage.caldav.store;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything the server serves, in memory, immutable: the homes with their calendars, the users and
 * the shares, and the sync history of each user's calendar home ({@link HomeSync}, kept apart from
 * the homes since a user who only has calendars shared with them has a home to sync and no folder).
 * Requests read one Store; a change makes the next one (and the Batch that persists it).
 */
public record Store(SortedMap<String, Home> homes, Users users, Shares shares, Map<String, SyncLog> homeLogs) {

    public Store {
        homes = Collections.unmodifiableSortedMap(new TreeMap<>(homes));
        homeLogs = Map.copyOf(homeLogs);
    }

    /** A store whose homes have no sync history yet (read from storage, built in tests). */
    public Store(SortedMap<String, Home> homes, Users users, Shares shares) {
        this(homes, users, shares, Map.of());
    }

    public Optional<Home> home(String user) {
        return Optional.ofNullable(homes.get(user));
    }

    public Optional<Collection> calendar(String owner, String name) {
        return home(owner).flatMap(h -> Optional.ofNullable(h.calendars().get(name)));
    }

    /** This store with {@code calendar} put in its owner's home (the home made if missing). */
    public Store with(Collection calendar) {
        TreeMap<String, Home> copy = new TreeMap<>(homes);
        Home home = copy.getOrDefault(calendar.owner(), new Home(calendar.owner(), new TreeMap<>()));
        copy.put(calendar.owner(), home.with(calendar));
        return new Store(copy, users, shares, homeLogs);
    }

    public Store without(String owner, String calendarName) {
        Optional<Home> home = home(owner);
        if (home.isEmpty()) {
            return this;
        }
        TreeMap<String, Home> copy = new TreeMap<>(homes);
        copy.put(owner, home.get().without(calendarName));
        return new Store(copy, users, shares, homeLogs);
    }

    public Store withUsers(Users newUsers) {
        return new Store(homes, newUsers, shares, homeLogs);
    }

    public Store withShares(Shares newShares) {
        return new Store(homes, users, newShares, homeLogs);
    }

    public Store withHomeLogs(Map<String, SyncLog> logs) {
        return new Store(homes, users, shares, logs);
    }
}
