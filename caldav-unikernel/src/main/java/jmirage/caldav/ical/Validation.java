package jmirage.caldav.ical;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import jmirage.core.Bytes;
import jmirage.core.Result;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.parameter.TzId;
import net.fortuna.ical4j.model.property.Repeat;
import net.fortuna.ical4j.model.property.Trigger;
import net.fortuna.ical4j.model.property.Uid;

/** A PUT body: RFC 5545 parsed, RFC 4791 4.1 checked, indexed. */
final class Validation {

    /** The widest UTC offset in use: a floating time is somewhere within this of its UTC reading. */
    static final Duration FLOATING_SLACK = Duration.ofHours(14);
    /** Index bounds are widened by this so that the inclusive tests of RFC 4791 9.9 survive mayOverlap's strict ones. */
    private static final Duration EDGE = Duration.ofSeconds(1);

    private Validation() {}

    static Result<CalendarIndex, IcalError> validate(Bytes body, Set<ComponentKind> allowed) {
        return Parsing.parse(body).flatMap(calendar -> check(calendar, allowed));
    }

    private static Result<CalendarIndex, IcalError> check(Calendar calendar, Set<ComponentKind> allowed) {
        // RFC 4791 4.1: calendar object resources carry no METHOD (iTIP messages are not stored).
        if (calendar.getProperty(Property.METHOD).isPresent()) {
            return Result.err(new IcalError.InvalidObject("METHOD is not allowed in a stored calendar object"));
        }
        // RFC 5545 3.6: VERSION is required (PRODID too, but clients in the wild omit it).
        if (calendar.getProperty(Property.VERSION).map(Property::getValue).filter("2.0"::equals).isEmpty()) {
            return Result.err(new IcalError.InvalidData("VERSION:2.0 is missing"));
        }
        // The recurrence bounds first: reading a date-time in a zone builds the zone's observances.
        Optional<IcalError> unbounded = Recurrences.unbounded(calendar);
        if (unbounded.isPresent()) {
            return Result.err(unbounded.get());
        }
        Optional<IcalError> unreadable = unreadable(calendar);
        if (unreadable.isPresent()) {
            return Result.err(unreadable.get());
        }
        List<Component> components = new ArrayList<>();
        Set<String> kinds = new HashSet<>();
        for (Component c : calendar.getComponents()) {
            if (c.getName().equals(Component.VTIMEZONE)) {
                continue;
            }
            components.add(c);
            kinds.add(c.getName().toUpperCase(Locale.ROOT));
        }
        if (components.isEmpty()) {
            return Result.err(new IcalError.InvalidObject("no VEVENT, VTODO or VJOURNAL"));
        }
        if (kinds.size() > 1) {
            return Result.err(new IcalError.InvalidObject("more than one component kind: " + new java.util.TreeSet<>(kinds)));
        }
        String name = kinds.iterator().next();
        ComponentKind kind;
        switch (name) {
            case "VEVENT" -> kind = ComponentKind.VEVENT;
            case "VTODO" -> kind = ComponentKind.VTODO;
            case "VJOURNAL" -> kind = ComponentKind.VJOURNAL;
            default -> {
                return Result.err(new IcalError.InvalidObject(name + " is not a component a calendar collection stores"));
            }
        }
        if (!allowed.contains(kind)) {
            return Result.err(new IcalError.UnsupportedComponent(kind));
        }
        Set<String> uids = new HashSet<>();
        Set<Instant> recurrenceIds = new HashSet<>();
        int masters = 0;
        for (Component c : components) {
            Optional<String> uid = c.<Uid>getProperty(Property.UID).map(Uid::getValue).filter(u -> !u.isBlank());
            if (uid.isEmpty()) {
                return Result.err(new IcalError.InvalidObject(name + " without UID"));
            }
            uids.add(uid.get());
            Optional<Temporal> rid = Occurrences.date(c, Property.RECURRENCE_ID);
            if (rid.isPresent()) {
                if (!recurrenceIds.add(Occurrences.instant(rid.get(), ZoneOffset.UTC))) {
                    return Result.err(new IcalError.InvalidObject("two overrides of the same instance " + rid.get()));
                }
            } else if (++masters > 1) {
                return Result.err(new IcalError.InvalidObject("two " + name + " without RECURRENCE-ID"));
            }
            Optional<IcalError> wrong = dates(c, kind);
            if (wrong.isPresent()) {
                return Result.err(wrong.get());
            }
        }
        if (uids.size() != 1) {
            return Result.err(new IcalError.InvalidObject("components with different UIDs " + new java.util.TreeSet<>(uids)));
        }
        try {
            return Result.ok(index(uids.iterator().next(), kind, components));
        } catch (RuntimeException e) {
            // ical4j's recurrence engine throws on rules it cannot expand (say BYSETPOS out of range).
            return Result.err(new IcalError.InvalidData(Parsing.firstLine(e)));
        }
    }

    /**
     * Every property of every component, VTIMEZONEs and alarms included, has a value ical4j can
     * write back (its lenient parser keeps a DTSTAMP with no value, which fails only when the object
     * is served), and every TZID parameter names a VTIMEZONE of the object (RFC 5545 3.2.19). A zone
     * of the tz database is accepted without one, as clients omit them (see {@link ZoneRegistry});
     * any other id would make every later reading of a date-time fail.
     */
    private static Optional<IcalError> unreadable(Calendar calendar) {
        Set<String> defined = new HashSet<>();
        List<Component> all = new ArrayList<>();
        for (Component c : calendar.getComponents()) {
            all.add(c);
            all.addAll(FilterMatcher.subcomponents(c));
            if (c.getName().equals(Component.VTIMEZONE)) {
                c.getProperty(Property.TZID).map(Property::getValue).ifPresent(defined::add);
            }
        }
        for (Component c : all) {
            for (Property p : c.getProperties()) {
                Optional<String> id = p.<TzId>getParameter(Parameter.TZID).map(TzId::getValue);
                if (id.isPresent() && !defined.contains(id.get()) && ZoneRegistry.known(id.get()).isEmpty()) {
                    return Optional.of(new IcalError.InvalidData(p.getName() + " names TZID " + quoted(id.get())
                            + ", which is neither a VTIMEZONE of the object nor a zone of the tz database"));
                }
                try {
                    if (p.getValue() == null) {
                        return Optional.of(new IcalError.InvalidData(p.getName() + " has no value"));
                    }
                } catch (RuntimeException e) {
                    return Optional.of(new IcalError.InvalidData(p.getName() + " has no valid value"));
                }
            }
        }
        return Optional.empty();
    }

    /** A client's id in an error message: quoted, control characters escaped, at most 64 characters. */
    private static String quoted(String id) {
        StringBuilder out = new StringBuilder("\"");
        id.codePoints().limit(64).forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append(id.length() > 64 ? "...\"" : "\"").toString();
    }

    /** RFC 5545 3.6.1 and 3.6.2: DTSTART required for VEVENT, DTEND/DUE and DURATION exclusive, same value type. */
    private static Optional<IcalError> dates(Component c, ComponentKind kind) {
        Optional<Temporal> start = Occurrences.start(c);
        if (kind == ComponentKind.VEVENT && start.isEmpty()) {
            return Optional.of(new IcalError.InvalidData("VEVENT without DTSTART"));
        }
        String endName = kind == ComponentKind.VTODO ? Property.DUE : Property.DTEND;
        Optional<Temporal> end = Occurrences.date(c, endName);
        if (end.isPresent() && c.getProperty(Property.DURATION).isPresent()) {
            return Optional.of(new IcalError.InvalidData(c.getName() + " with both " + endName + " and DURATION"));
        }
        if ((start.isPresent() || end.isPresent()) && (Occurrences.isRecurring(c)) && start.isEmpty()) {
            return Optional.of(new IcalError.InvalidData("a recurrence without DTSTART"));
        }
        if (start.isPresent() && end.isPresent()) {
            if ((start.get() instanceof LocalDate) != (end.get() instanceof LocalDate)) {
                return Optional.of(new IcalError.InvalidData(endName + " and DTSTART are not both dates or both date-times"));
            }
            if (Occurrences.instant(end.get(), ZoneOffset.UTC).isBefore(Occurrences.instant(start.get(), ZoneOffset.UTC))
                    && !Occurrences.isFloating(start.get())) {
                return Optional.of(new IcalError.InvalidData(endName + " before DTSTART"));
            }
        }
        for (Component sub : FilterMatcher.subcomponents(c)) {
            if (sub.getName().equals(Component.VALARM)) {
                Optional<IcalError> alarm = alarm(sub);
                if (alarm.isPresent()) {
                    return alarm;
                }
            }
        }
        return Optional.empty();
    }

    /** RFC 5545 3.6.6: TRIGGER required; DURATION and REPEAT both or neither. Typed, as matching reads them. */
    private static Optional<IcalError> alarm(Component alarm) {
        Optional<Property> trigger = alarm.getProperty(Property.TRIGGER);
        if (trigger.isEmpty() || !(trigger.get() instanceof Trigger t)
                || (t.isAbsolute() ? t.getDate() == null : t.getDuration() == null)) {
            return Optional.of(new IcalError.InvalidData("VALARM without a valid TRIGGER"));
        }
        Optional<Property> repeat = alarm.getProperty(Property.REPEAT);
        Optional<Property> duration = alarm.getProperty(Property.DURATION);
        if (repeat.isPresent() != duration.isPresent()
                || repeat.filter(r -> !(r instanceof Repeat)).isPresent()
                || duration.filter(d -> !(d instanceof net.fortuna.ical4j.model.property.Duration)).isPresent()) {
            return Optional.of(new IcalError.InvalidData("VALARM with only one of REPEAT and DURATION"));
        }
        return Optional.empty();
    }

    /**
     * The span every instance lies in. Floating times and dates are read in UTC and widened by
     * {@link #FLOATING_SLACK}, since the calendar's zone is not known here; an endless rule, or one
     * with more instances than are expanded, leaves the latest bound open.
     */
    static CalendarIndex index(String uid, ComponentKind kind, List<Component> components) {
        boolean recurring = components.stream().anyMatch(c -> Occurrences.isRecurring(c)
                || c.getProperty(Property.RECURRENCE_ID).isPresent());
        boolean endless = components.stream().anyMatch(Occurrences::isEndless);
        List<Occurrences.Occurrence> all = Occurrences.of(components, ZoneOffset.UTC, Optional.empty(), Optional.empty());
        Instant earliest = null;
        Instant latest = null;
        boolean openStart = false;
        boolean openEnd = endless || all.size() >= Occurrences.MAX_INSTANCES;
        for (Occurrences.Occurrence o : all) {
            Duration slack = o.floating() ? FLOATING_SLACK.plus(EDGE) : EDGE;
            switch (o.test()) {
                case ALWAYS -> {
                    openStart = true;
                    openEnd = true;
                }
                case TODO_CREATED -> {
                    openEnd = true;
                    earliest = min(earliest, o.start().minus(slack));
                }
                default -> {
                    Instant lo = o.start().isBefore(o.end()) ? o.start() : o.end();
                    Instant hi = o.start().isBefore(o.end()) ? o.end() : o.start();
                    earliest = min(earliest, lo.minus(slack));
                    latest = latest == null || hi.plus(slack).isAfter(latest) ? hi.plus(slack) : latest;
                }
            }
        }
        Optional<Instant> lower = openStart ? Optional.empty() : Optional.ofNullable(earliest);
        Optional<Instant> upper = openEnd ? Optional.empty() : Optional.ofNullable(latest);
        if (all.isEmpty()) {
            // A journal without DTSTART, or every instance excluded: no time range matches it.
            lower = Optional.of(Instant.EPOCH);
            upper = Optional.of(Instant.EPOCH);
        }
        return new CalendarIndex(uid, kind, lower, upper, recurring);
    }

    private static Instant min(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }
}
