package jmirage.caldav.store;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.caldav.ical.CalendarIndex;
import jmirage.caldav.ical.ComponentKind;
import jmirage.core.Bytes;
import jmirage.core.kv.Key;

/**
 * The server's file {@code .index/USER/CALENDAR}: for each object that validated, its
 * name, ETag and {@link CalendarIndex}, so that a boot reuses the index of an object whose bytes
 * still have that ETag (a SHA-256 of them) instead of parsing it with ical4j again. An object edited
 * in git has another digest and is validated again; an object the file does not list is validated.
 * It is written at a clean stop with the sync histories (never at boot, so the git history holds
 * no commit of the server's between the requests' own). So the file is a cache and nothing in it
 * is trusted beyond the bytes it names: a line that does not read is skipped, a file of another version is ignored. It lives outside the calendar's folder
 * so that writing it changes neither the calendar's last-modified time nor what a DELETE of the
 * calendar removes (a file left by a deleted calendar is never read, or only by digest, harmlessly).
 *
 * <pre>
 * # jmirage caldav object index 1
 * NAME TAB ETAG TAB UID TAB KIND TAB EARLIEST TAB LATEST TAB RECURRING
 * </pre>
 * NAME and UID percent-encoded (UTF-8), EARLIEST and LATEST ISO-8601 instants or {@code -} for none,
 * RECURRING {@code 1} or {@code 0}.
 */
final class ObjectIndexFile {

    static final Key FOLDER = Key.of(".index");
    private static final String HEADER = "# jmirage caldav object index 1";

    /** A reusable index: valid while the object's ETag is {@code etag}. */
    record Known(String etag, CalendarIndex index) {}

    /** One object that validated, as a line. */
    record Line(String name, String etag, CalendarIndex index) {}

    private ObjectIndexFile() {}

    static Key key(String owner, String calendar) {
        return FOLDER.child(owner).child(calendar);
    }

    /** The file for {@code calendar} as it is now: a line for each member that validated, in name order. */
    static Bytes of(Collection calendar) {
        List<Line> lines = new java.util.ArrayList<>();
        for (Resource r : calendar.members().values()) {
            if (r.validated()) {
                lines.add(new Line(r.name(), r.etag(), r.index()));
            }
        }
        return encode(lines);
    }

    /** Whether {@code calendar} has a member worth a line: a file without any is not worth creating. */
    static boolean worthCreating(Collection calendar) {
        return calendar.members().values().stream().anyMatch(Resource::validated);
    }

    static Bytes encode(List<Line> lines) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (Line l : lines) {
            CalendarIndex i = l.index();
            out.append(encoded(l.name())).append('\t').append(l.etag()).append('\t').append(encoded(i.uid())).append('\t')
                    .append(i.kind().name()).append('\t').append(i.earliest().map(Instant::toString).orElse("-")).append('\t')
                    .append(i.latest().map(Instant::toString).orElse("-")).append('\t').append(i.recurring() ? '1' : '0').append('\n');
        }
        return Bytes.utf8(out.toString());
    }

    /** The entries by object name; empty for a file of another version. */
    static Map<String, Known> decode(Bytes file) {
        String[] lines = file.toUtf8().split("\n");
        Map<String, Known> known = new HashMap<>();
        if (lines.length == 0 || !lines[0].equals(HEADER)) {
            return known;
        }
        for (int n = 1; n < lines.length; n++) {
            line(lines[n]).ifPresent(l -> known.put(l.name(), new Known(l.etag(), l.index())));
        }
        return known;
    }

    private static Optional<Line> line(String text) {
        String[] f = text.split("\t", -1);
        if (f.length != 7 || !(f[6].equals("0") || f[6].equals("1"))) {
            return Optional.empty();
        }
        Optional<ComponentKind> kind = kind(f[3]);
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Line(URLDecoder.decode(f[0], StandardCharsets.UTF_8), f[1],
                    new CalendarIndex(URLDecoder.decode(f[2], StandardCharsets.UTF_8), kind.get(), instant(f[4]), instant(f[5]), f[6].equals("1"))));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            // URLDecoder and Instant.parse throw on what they cannot read: a line of a damaged file, skipped.
            return Optional.empty();
        }
    }

    private static Optional<ComponentKind> kind(String name) {
        for (ComponentKind k : ComponentKind.values()) {
            if (k.name().equals(name)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    private static Optional<Instant> instant(String text) {
        return text.equals("-") ? Optional.empty() : Optional.of(Instant.parse(text));
    }

    private static String encoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
