package jmirage.caldav.ical;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Property;

/** The answer to a free-busy-query (RFC 4791 7.10): one VFREEBUSY for the range. */
final class FreeBusy {

    private FreeBusy() {}

    /** RFC 5545 3.2.9: the FBTYPE values this server reports. */
    enum Type {
        BUSY, BUSY_TENTATIVE;

        String value() {
            return name().replace('_', '-');
        }
    }

    record Busy(Instant start, Instant end, Type type) {}

    static Bytes report(List<Bytes> stored, Filters.TimeRange range, ZoneId floating, Instant now) {
        Map<Type, List<Busy>> byType = new EnumMap<>(Type.class);
        for (Bytes object : stored) {
            Optional<Calendar> calendar = Parsing.forQuery(object) instanceof jmirage.core.Result.Ok<Calendar, IcalError>(Calendar c)
                    ? Optional.of(c) : Optional.empty();
            calendar.ifPresent(c -> busy(c, range, floating).forEach(b -> byType.computeIfAbsent(b.type(), t -> new ArrayList<>()).add(b)));
        }
        StringBuilder out = new StringBuilder();
        line(out, "BEGIN:VCALENDAR");
        line(out, "VERSION:2.0");
        line(out, "PRODID:-//jmirage//caldav-unikernel//EN");
        line(out, "BEGIN:VFREEBUSY");
        line(out, "DTSTAMP:" + CalendarData.utc(now));
        range.start().ifPresent(s -> line(out, "DTSTART:" + CalendarData.utc(s)));
        range.end().ifPresent(e -> line(out, "DTEND:" + CalendarData.utc(e)));
        for (Type type : Type.values()) {
            for (Busy b : merged(byType.getOrDefault(type, List.of()))) {
                // One period per FREEBUSY line keeps each line under 75 octets (RFC 5545 3.1) without folding.
                line(out, "FREEBUSY;FBTYPE=" + type.value() + ":" + CalendarData.utc(b.start()) + "/" + CalendarData.utc(b.end()));
            }
        }
        line(out, "END:VFREEBUSY");
        line(out, "END:VCALENDAR");
        return Bytes.utf8(out.toString());
    }

    /**
     * RFC 4791 7.10: the instances of VEVENTs in the range, clipped to it, except transparent and
     * cancelled ones; TENTATIVE is BUSY-TENTATIVE, anything else BUSY.
     */
    static List<Busy> busy(Calendar calendar, Filters.TimeRange range, ZoneId floating) {
        List<Component> events = calendar.getComponents().stream().filter(c -> c.getName().equals(Component.VEVENT)).map(Component.class::cast).toList();
        List<Busy> out = new ArrayList<>();
        for (Occurrences.Occurrence o : Occurrences.of(events, floating, range.start(), range.end())) {
            Component c = o.component();
            if (!Occurrences.test(o, range.start(), range.end()) || !o.end().isAfter(o.start())) {
                continue;
            }
            String transp = c.getProperty(Property.TRANSP).map(Property::getValue).orElse("OPAQUE");
            String status = c.getProperty(Property.STATUS).map(Property::getValue).orElse("CONFIRMED");
            if (transp.equalsIgnoreCase("TRANSPARENT") || status.equalsIgnoreCase("CANCELLED")) {
                continue;
            }
            Instant s = range.start().filter(r -> r.isAfter(o.start())).orElse(o.start());
            Instant e = range.end().filter(r -> r.isBefore(o.end())).orElse(o.end());
            out.add(new Busy(s, e, status.equalsIgnoreCase("TENTATIVE") ? Type.BUSY_TENTATIVE : Type.BUSY));
        }
        return out;
    }

    /** Overlapping and touching periods joined, in order. */
    static List<Busy> merged(List<Busy> periods) {
        List<Busy> sorted = new ArrayList<>(periods);
        sorted.sort(Comparator.comparing(Busy::start));
        List<Busy> out = new ArrayList<>();
        for (Busy b : sorted) {
            if (!out.isEmpty() && !b.start().isAfter(out.getLast().end())) {
                Busy last = out.removeLast();
                out.add(new Busy(last.start(), b.end().isAfter(last.end()) ? b.end() : last.end(), last.type()));
            } else {
                out.add(b);
            }
        }
        return out;
    }

    private static void line(StringBuilder out, String line) {
        out.append(line).append("\r\n");
    }
}
