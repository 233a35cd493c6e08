package jmirage.caldav.dav;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jmirage.caldav.store.Collection;
import jmirage.caldav.store.Resource;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.core.Bytes;

/**
 * A whole calendar as one iCalendar stream (what GET of a calendar collection answers): the
 * components of every object copied line for line, each VTIMEZONE once per TZID (RFC 5545 3.6.5:
 * a TZID names one definition in a stream). The objects' own VCALENDAR properties (PRODID,
 * VERSION, CALSCALE) give way to the export's. Text only: the objects were validated when stored.
 */
final class CalendarExport {

    private static final String CRLF = "\r\n";

    private CalendarExport() {}

    static Bytes of(Collection collection) {
        Map<String, String> timezones = new LinkedHashMap<>();
        List<String> components = new ArrayList<>();
        for (Resource resource : collection.members().values()) {
            split(resource.data().toUtf8(), timezones, components);
        }
        StringBuilder out = new StringBuilder();
        out.append("BEGIN:VCALENDAR").append(CRLF).append("VERSION:2.0").append(CRLF)
                .append("PRODID:-//jmirage//caldav//EN").append(CRLF);
        Element name = collection.deadProperties().get(DavNames.DISPLAYNAME);
        if (name != null && !name.text().isBlank()) {
            // The de facto calendar name property (Apple, Google, Thunderbird read it).
            out.append("X-WR-CALNAME:").append(escapeText(name.text().strip())).append(CRLF);
        }
        timezones.values().forEach(out::append);
        components.forEach(out::append);
        out.append("END:VCALENDAR").append(CRLF);
        return Bytes.utf8(out.toString());
    }

    /** The top-level components of one stored object; VTIMEZONEs into {@code timezones} by TZID, first one kept. */
    static void split(String text, Map<String, String> timezones, List<String> components) {
        int depth = 0;
        StringBuilder block = null;
        boolean timezone = false;
        for (String line : text.split("\r?\n")) {
            String upper = line.toUpperCase(Locale.ROOT);
            if (depth == 0) {
                if (upper.startsWith("BEGIN:VCALENDAR")) {
                    depth = 1;
                }
            } else if (depth == 1) {
                if (upper.startsWith("END:VCALENDAR")) {
                    depth = 0;
                } else if (upper.startsWith("BEGIN:")) {
                    depth = 2;
                    block = new StringBuilder(line).append(CRLF);
                    timezone = upper.strip().equals("BEGIN:VTIMEZONE");
                }
                // anything else at this level is a VCALENDAR property (or its folded continuation): the export has its own
            } else {
                block.append(line).append(CRLF);
                if (upper.startsWith("BEGIN:")) {
                    depth++;
                } else if (upper.startsWith("END:") && --depth == 1) {
                    String done = block.toString();
                    if (timezone) {
                        timezones.putIfAbsent(tzid(done), done);
                    } else {
                        components.add(done);
                    }
                }
            }
        }
    }

    /** The TZID of a VTIMEZONE block, unfolded (RFC 5545 3.1); the whole block when it has none. */
    private static String tzid(String block) {
        String unfolded = block.replace("\r\n ", "").replace("\r\n\t", "");
        for (String line : unfolded.split("\r\n")) {
            String upper = line.toUpperCase(Locale.ROOT);
            if (upper.startsWith("TZID:") || upper.startsWith("TZID;")) {
                return line.substring(line.indexOf(':') + 1);
            }
        }
        return unfolded;
    }

    /** RFC 5545 3.3.11: backslash, semicolon, comma and newline escaped in a TEXT value. */
    private static String escapeText(String text) {
        return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n");
    }
}
