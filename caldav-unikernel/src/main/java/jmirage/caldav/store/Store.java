package jmirage.caldav.store;

import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything the server serves, in memory, immutable: the homes with their calendars, the users and
 * the shares. Requests read one Store; a change makes the next one (and the Batch that persists it).
 */
public record Store(SortedMap<String, Home> homes, Users users, Shares shares) {

    public Store {
        homes = Collections.unmodifiableSortedMap(new TreeMap<>(homes));
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
        return new Store(copy, users, shares);
    }

    public Store without(String owner, String calendarName) {
        Optional<Home> home = home(owner);
        if (home.isEmpty()) {
            return this;
        }
        TreeMap<String, Home> copy = new TreeMap<>(homes);
        copy.put(owner, home.get().without(calendarName));
        return new Store(copy, users, shares);
    }

    public Store withUsers(Users newUsers) {
        return new Store(homes, newUsers, shares);
    }

    public Store withShares(Shares newShares) {
        return new Store(homes, users, newShares);
    }
}
