package jmirage.caldav.store;

import java.util.Optional;
import jmirage.caldav.ical.CalendarIndex;
import jmirage.caldav.ical.ComponentKind;
import jmirage.core.Bytes;

/**
 * The index of a stored object that does not validate (someone edited the git repository by hand):
 * the first UID line (else the resource name), the first component kind found (else VEVENT), and
 * no bounds in time, so every time-range query considers it and the ical code decides.
 */
final class FallbackIndex {

    private FallbackIndex() {}

    static CalendarIndex of(String resourceName, Bytes body) {
        String uid = resourceName;
        ComponentKind kind = null;
        for (String line : body.toUtf8().split("\r?\n")) {
            if (uid.equals(resourceName) && line.regionMatches(true, 0, "UID:", 0, 4)) {
                uid = line.substring(4).strip();
            }
            if (kind == null && line.regionMatches(true, 0, "BEGIN:", 0, 6)) {
                for (ComponentKind k : ComponentKind.values()) {
                    if (line.substring(6).strip().equalsIgnoreCase(k.name())) {
                        kind = k;
                    }
                }
            }
        }
        return new CalendarIndex(uid, kind == null ? ComponentKind.VEVENT : kind, Optional.empty(), Optional.empty(), false);
    }
}
