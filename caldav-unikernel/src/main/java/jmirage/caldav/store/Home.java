package jmirage.caldav.store;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/** A user's calendar home ({@code /calendars/USER/}): their own calendar collections by name. */
public record Home(String user, SortedMap<String, Collection> calendars) {

    public Home {
        calendars = Collections.unmodifiableSortedMap(new TreeMap<>(calendars));
    }

    public Home with(Collection calendar) {
        TreeMap<String, Collection> copy = new TreeMap<>(calendars);
        copy.put(calendar.name(), calendar);
        return new Home(user, copy);
    }

    public Home without(String calendarName) {
        TreeMap<String, Collection> copy = new TreeMap<>(calendars);
        copy.remove(calendarName);
        return new Home(user, copy);
    }
}
