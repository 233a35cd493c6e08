package jmirage.caldav.ical;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.core.Bytes;
import jmirage.core.Result;
import net.fortuna.ical4j.data.CalendarOutputter;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.ComponentList;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.PropertyList;
import net.fortuna.ical4j.model.component.CalendarComponent;
import net.fortuna.ical4j.model.component.Daylight;
import net.fortuna.ical4j.model.component.Standard;
import net.fortuna.ical4j.model.component.VAlarm;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.component.VJournal;
import net.fortuna.ical4j.model.component.VTimeZone;
import net.fortuna.ical4j.model.component.VToDo;
import net.fortuna.ical4j.model.property.DateProperty;
import net.fortuna.ical4j.model.property.DtEnd;
import net.fortuna.ical4j.model.property.DtStart;
import net.fortuna.ical4j.model.property.Due;
import net.fortuna.ical4j.model.property.RecurrenceId;
import net.fortuna.ical4j.validate.ValidationException;

/** The calendar-data element of a REPORT (RFC 4791 9.6) read, and the data it asks for shaped. */
final class CalendarData {

    private CalendarData() {}

    /** RFC 4791 9.6: (comp?, (expand | limit-recurrence-set)?, limit-freebusy-set?). */
    static Result<CalendarDataRequest, IcalError> parse(Element e) {
        Optional<Filters.TimeRange> expand = Optional.empty();
        Optional<Filters.TimeRange> limit = Optional.empty();
        Optional<Element> select = Optional.empty();
        for (Element child : e.elements().toList()) {
            if (!child.name().namespace().equals(DavNames.CALDAV)) {
                return invalid("unknown element " + child.name() + " in calendar-data");
            }
            switch (child.name().local()) {
                case "comp" -> {
                    if (!"VCALENDAR".equalsIgnoreCase(child.attribute("name").orElse(""))) {
                        return invalid("the top comp of calendar-data is named VCALENDAR");
                    }
                    Optional<String> wrong = checkSelection(child, 0);
                    if (wrong.isPresent()) {
                        return invalid(wrong.get());
                    }
                    select = Optional.of(child);
                }
                case "expand", "limit-recurrence-set" -> {
                    Result<Filters.TimeRange, IcalError> range = FilterParser.timeRange(child);
                    if (range instanceof Result.Err<Filters.TimeRange, IcalError>(IcalError error)) {
                        return Result.err(error);
                    }
                    Filters.TimeRange r = range.orElseThrow();
                    // RFC 4791 9.6.5, 9.6.6: both start and end are required.
                    if (r.start().isEmpty() || r.end().isEmpty()) {
                        return invalid(child.name().local() + " needs both start and end");
                    }
                    if (expand.isPresent() || limit.isPresent()) {
                        return invalid("calendar-data holds at most one of expand and limit-recurrence-set");
                    }
                    if (child.name().local().equals("expand")) {
                        expand = Optional.of(r);
                    } else {
                        limit = Optional.of(r);
                    }
                }
                case "limit-freebusy-set" -> { } // only VFREEBUSY components, which this server does not store
                default -> {
                    return invalid("unknown element " + child.name() + " in calendar-data");
                }
            }
        }
        return Result.ok(new CalendarDataRequest(expand, limit, select));
    }

    private static Optional<String> checkSelection(Element comp, int depth) {
        if (depth > 4) {
            return Optional.of("comp elements nested too deep");
        }
        for (Element child : comp.elements().toList()) {
            String local = child.name().local();
            if ((local.equals("comp") || local.equals("prop")) && child.attribute("name").filter(n -> !n.isBlank()).isEmpty()) {
                return Optional.of(local + " without a name");
            }
            if (local.equals("comp")) {
                Optional<String> inner = checkSelection(child, depth + 1);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return Optional.empty();
    }

    static Bytes render(Bytes stored, CalendarDataRequest request, ZoneId floating) {
        if (request.equals(CalendarDataRequest.WHOLE)) {
            return stored;
        }
        // An expansion drops VTIMEZONEs (RFC 4791 9.6.5), so the query parse serves; other shapes keep them.
        Calendar calendar = (request.expand().isPresent() ? Parsing.forQuery(stored) : Parsing.parse(stored))
                .orElseThrow(e -> new IllegalStateException("a stored object no longer parses: " + e.describe()));
        List<Component> components = new ArrayList<>(calendar.getComponents());
        if (request.expand().isPresent()) {
            components = expand(components, request.expand().get(), floating);
        } else if (request.limitRecurrenceSet().isPresent()) {
            components = limit(components, request.limitRecurrenceSet().get(), floating);
        }
        List<Property> properties = new ArrayList<>(calendar.getProperties());
        if (request.select().isPresent()) {
            Element top = request.select().get();
            properties = selectProperties(properties, top);
            components = selectComponents(components, top);
        }
        @SuppressWarnings("unchecked")
        List<CalendarComponent> top = (List<CalendarComponent>) (List<?>) components;
        Calendar out = new Calendar(new PropertyList(properties), new ComponentList<>(top));
        StringWriter w = new StringWriter();
        try {
            new CalendarOutputter(false).output(out, w);
        } catch (IOException | ValidationException e) {
            throw new IllegalStateException("writing a calendar to a string without validation failed", e);
        }
        return Bytes.utf8(w.toString());
    }

    /**
     * RFC 4791 9.6.5: every instance overlapping the range as a component of its own, with a
     * RECURRENCE-ID, times in UTC, no RRULE/RDATE/EXDATE, and no VTIMEZONE.
     */
    private static List<Component> expand(List<Component> components, Filters.TimeRange range, ZoneId floating) {
        List<Component> out = new ArrayList<>();
        for (List<Component> group : byKind(components).values()) {
            for (Occurrences.Occurrence o : Occurrences.of(group, floating, range.start(), range.end())) {
                if (!Occurrences.test(o, range.start(), range.end())) {
                    continue;
                }
                Component c = rebuild(o.component(), new ArrayList<>(o.component().getProperties()), FilterMatcher.subcomponents(o.component()));
                Optional<Temporal> rid = Occurrences.date(c, Property.RECURRENCE_ID);
                boolean master = rid.isEmpty() && Occurrences.isRecurring(c);
                // RFC 5545 3.8.4.4: a later instance of a THISANDFUTURE override is written as itself,
                // with its own times and RECURRENCE-ID, not the override's.
                boolean laterThanOverride = rid.isPresent() && o.recurrenceId().isPresent()
                        && !o.recurrenceId().get().equals(Occurrences.instant(rid.get(), floating));
                Optional<Temporal> dtstart = Occurrences.start(c);
                if ((master || laterThanOverride) && dtstart.isPresent()) {
                    c.removeAll(Property.RECURRENCE_ID);
                    Instant originalStart = Occurrences.instant(dtstart.get(), floating);
                    Duration shift = Duration.between(originalStart, o.start());
                    c.removeAll(Property.RRULE, Property.RDATE, Property.EXDATE);
                    c.replace(new DtStart<>(at(o.start(), o.allDay(), floating)));
                    Optional<Temporal> dtend = Occurrences.date(c, Property.DTEND);
                    if (dtend.isPresent()) {
                        c.replace(new DtEnd<>(at(o.end(), o.allDay(), floating)));
                    }
                    Optional<Temporal> due = Occurrences.date(c, Property.DUE);
                    if (due.isPresent()) {
                        c.replace(new Due<>(at(Occurrences.instant(due.get(), floating).plus(shift), o.allDay(), floating)));
                    }
                    c.add(new RecurrenceId<>(at(o.recurrenceId().orElse(o.start()), o.allDay(), floating)));
                } else {
                    toUtc(c, floating);
                    if (rid.isPresent() && rid.get() instanceof LocalDate date) {
                        c.replace(new RecurrenceId<>(date));
                    }
                }
                out.add(c);
            }
        }
        return out;
    }

    /** A date-time in UTC, or the date when the instance is all-day. */
    private static Temporal at(Instant instant, boolean allDay, ZoneId floating) {
        return allDay ? LocalDate.ofInstant(instant, floating) : instant;
    }

    /** Every date-time property of the component written in UTC (dates stay dates). */
    @SuppressWarnings("unchecked")
    private static void toUtc(Component c, ZoneId floating) {
        for (String name : List.of(Property.DTSTART, Property.DTEND, Property.DUE, Property.RECURRENCE_ID)) {
            Optional<Temporal> v = Occurrences.date(c, name);
            if (v.isEmpty() || v.get() instanceof LocalDate) {
                continue;
            }
            Instant utc = Occurrences.instant(v.get(), floating);
            DateProperty<Temporal> p = switch (name) {
                case Property.DTSTART -> (DateProperty<Temporal>) (DateProperty<?>) new DtStart<>(utc);
                case Property.DTEND -> (DateProperty<Temporal>) (DateProperty<?>) new DtEnd<>(utc);
                case Property.DUE -> (DateProperty<Temporal>) (DateProperty<?>) new Due<>(utc);
                default -> (DateProperty<Temporal>) (DateProperty<?>) new RecurrenceId<>(utc);
            };
            c.replace(p);
        }
    }

    /**
     * RFC 4791 9.6.6: the master, and only the overrides that touch the range: whose original
     * instance is in it, or an instance they give (their own, or with RANGE=THISANDFUTURE, RFC 5545
     * 3.8.4.4, a later one they now shape).
     */
    private static List<Component> limit(List<Component> components, Filters.TimeRange range, ZoneId floating) {
        Set<Component> shaping = Collections.newSetFromMap(new IdentityHashMap<>());
        for (List<Component> group : byKind(components).values()) {
            for (Occurrences.Occurrence o : Occurrences.of(group, floating, range.start(), range.end())) {
                if (Occurrences.test(o, range.start(), range.end())) {
                    shaping.add(o.component());
                }
            }
        }
        List<Component> out = new ArrayList<>();
        for (Component c : components) {
            Optional<Temporal> rid = Occurrences.date(c, Property.RECURRENCE_ID);
            if (rid.isEmpty()) {
                out.add(c);
                continue;
            }
            Instant original = Occurrences.instant(rid.get(), floating);
            boolean originalInside = range.start().map(s -> !s.isAfter(original)).orElse(true)
                    && range.end().map(e -> e.isAfter(original)).orElse(true);
            if (originalInside || shaping.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    private static Map<String, List<Component>> byKind(List<Component> components) {
        return components.stream().filter(c -> Set.of(Component.VEVENT, Component.VTODO, Component.VJOURNAL).contains(c.getName()))
                .collect(Collectors.groupingBy(Component::getName, LinkedHashMap::new, Collectors.toList()));
    }

    /** RFC 4791 9.6.1-9.6.4: allprop, or the named props (none when neither is given). */
    private static List<Property> selectProperties(List<Property> properties, Element comp) {
        if (comp.element(DavNames.caldav("allprop")).isPresent()) {
            return properties;
        }
        Set<String> names = comp.elements(DavNames.caldav("prop")).stream()
                .map(p -> p.attribute("name").orElse("").toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
        return properties.stream().filter(p -> names.contains(p.getName().toUpperCase(Locale.ROOT))).toList();
    }

    /** allcomp (components whole), or the named comps, each selected in turn. */
    private static List<Component> selectComponents(List<Component> components, Element comp) {
        if (comp.element(DavNames.caldav("allcomp")).isPresent()) {
            return components;
        }
        List<Component> out = new ArrayList<>();
        for (Component c : components) {
            for (Element wanted : comp.elements(DavNames.caldav("comp"))) {
                if (wanted.attribute("name").orElse("").equalsIgnoreCase(c.getName())) {
                    out.add(select(c, wanted));
                    break;
                }
            }
        }
        return out;
    }

    private static Component select(Component c, Element wanted) {
        return rebuild(c, selectProperties(new ArrayList<>(c.getProperties()), wanted),
                selectComponents(FilterMatcher.subcomponents(c), wanted));
    }

    /**
     * A new component of the same kind holding these properties and subcomponents. Cached parses
     * are shared, so output is built beside them, never in them; ical4j's own copy() is not used:
     * it fails on some extension properties and copies on the common fork-join pool. A kind not
     * listed here is returned as it is.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Component rebuild(Component c, List<Property> properties, List<Component> subcomponents) {
        PropertyList p = new PropertyList(properties);
        ComponentList subs = new ComponentList(subcomponents);
        return switch (c) {
            case VEvent e -> new VEvent(p, subs);
            case VToDo t -> new VToDo(p, subs);
            case VJournal j -> new VJournal(p);
            case VTimeZone z -> new VTimeZone(p, subs);
            case VAlarm a -> new VAlarm(p);
            case Standard st -> new Standard(p);
            case Daylight d -> new Daylight(p);
            default -> c;
        };
    }

    private static <T> Result<T, IcalError> invalid(String detail) {
        return Result.err(new IcalError.InvalidFilter(detail));
    }

    /** A date-time in UTC, RFC 5545 3.3.5 form 2. */
    static String utc(Instant at) {
        return java.time.format.DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC).format(at);
    }
}
