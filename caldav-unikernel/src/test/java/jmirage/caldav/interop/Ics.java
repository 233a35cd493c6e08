package jmirage.caldav.interop;

import java.util.Optional;

/** Calendar objects for the tests, and the two properties they read back (RFC 5545 3.1: lines unfolded first). */
final class Ics {

    private Ics() {}

    /** A VCALENDAR with one VEVENT, {@code start} and {@code end} as UTC date-times ({@code 20260310T100000Z}). */
    static String event(String uid, String summary, String start, String end) {
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//jmirage interop//EN\r\nBEGIN:VEVENT\r\nUID:" + uid
                + "\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" + start + "\r\nDTEND:" + end + "\r\nSUMMARY:" + summary
                + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    }

    static Optional<String> uid(String ics) {
        return property(ics, "UID");
    }

    static Optional<String> summary(String ics) {
        return property(ics, "SUMMARY");
    }

    /** The value of the first {@code name} property (without parameters), unfolded. */
    static Optional<String> property(String ics, String name) {
        String unfolded = ics.replace("\r\n ", "").replace("\r\n\t", "").replace("\n ", "").replace("\n\t", "");
        return unfolded.lines().filter(l -> l.startsWith(name + ":") || l.startsWith(name + ";"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst();
    }
}
