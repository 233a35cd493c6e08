package jmirage.caldav.ical;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.Temporal;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.ComponentContainer;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.parameter.Related;
import net.fortuna.ical4j.model.property.DateListProperty;
import net.fortuna.ical4j.model.property.DateProperty;
import net.fortuna.ical4j.model.property.Repeat;
import net.fortuna.ical4j.model.property.Trigger;

/** RFC 4791 9.7 evaluated on a parsed calendar object resource. */
final class FilterMatcher {

    private FilterMatcher() {}

    /** The top comp-filter (VCALENDAR, checked by the parser) against the whole object. */
    static boolean matches(Calendar calendar, Filters.CompFilter top, ZoneId floating) {
        for (Filters.PropFilter p : top.propFilters()) {
            if (!propMatches(calendar.getProperties(p.name()), p, floating)) {
                return false;
            }
        }
        List<Component> children = new ArrayList<>(calendar.getComponents());
        for (Filters.CompFilter f : top.compFilters()) {
            if (!kindMatches(children, f, floating)) {
                return false;
            }
        }
        return true;
    }

    /**
     * RFC 4791 9.7.1 for a top-level component kind: some component of that name (the master or an
     * override) has an instance in the time range and satisfies the prop-filters and nested comp-filters.
     */
    private static boolean kindMatches(List<Component> siblings, Filters.CompFilter f, ZoneId floating) {
        List<Component> named = siblings.stream().filter(c -> c.getName().equalsIgnoreCase(f.name())).toList();
        if (f.isNotDefined()) {
            return named.isEmpty();
        }
        if (named.isEmpty()) {
            return false;
        }
        if (f.timeRange().isEmpty()) {
            return named.stream().anyMatch(c -> bodyMatches(c, f, named, floating));
        }
        if (!isInstanceKind(f.name())) {
            // RFC 4791 9.9 defines time ranges for VEVENT, VTODO, VJOURNAL, VFREEBUSY, VALARM; this
            // server stores no VFREEBUSY, and VALARM is evaluated under its parent below.
            return false;
        }
        Filters.TimeRange range = f.timeRange().get();
        Map<Component, Boolean> decided = new IdentityHashMap<>();
        for (Occurrences.Occurrence o : Occurrences.of(named, floating, range.start(), range.end())) {
            if (Occurrences.test(o, range.start(), range.end())
                    && decided.computeIfAbsent(o.component(), c -> bodyMatches(c, f, named, floating))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isInstanceKind(String name) {
        return name.equals(Component.VEVENT) || name.equals(Component.VTODO) || name.equals(Component.VJOURNAL);
    }

    /** The prop-filters and nested comp-filters of {@code f} on one component. */
    private static boolean bodyMatches(Component c, Filters.CompFilter f, List<Component> group, ZoneId floating) {
        for (Filters.PropFilter p : f.propFilters()) {
            if (!propMatches(c.getProperties(p.name()), p, floating)) {
                return false;
            }
        }
        for (Filters.CompFilter sub : f.compFilters()) {
            if (!subMatches(c, sub, group, floating)) {
                return false;
            }
        }
        return true;
    }

    /** A comp-filter nested in an event, todo or journal: VALARM (with its trigger times, RFC 4791 9.9), or any other. */
    private static boolean subMatches(Component parent, Filters.CompFilter f, List<Component> group, ZoneId floating) {
        List<Component> named = subcomponents(parent).stream().filter(c -> c.getName().equalsIgnoreCase(f.name())).toList();
        if (f.isNotDefined()) {
            return named.isEmpty();
        }
        if (f.timeRange().isEmpty()) {
            return named.stream().anyMatch(c -> bodyMatches(c, f, group, floating));
        }
        if (!f.name().equals(Component.VALARM)) {
            return false;
        }
        Filters.TimeRange range = f.timeRange().get();
        for (Component alarm : named) {
            if (alarmFires(parent, alarm, group, range, floating) && bodyMatches(alarm, f, group, floating)) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    static List<Component> subcomponents(Component c) {
        if (c instanceof ComponentContainer<?> container) {
            return new ArrayList<>((List<Component>) (List<?>) container.getComponentList().getAll());
        }
        return List.of();
    }

    /**
     * RFC 4791 9.9 for VALARM: some trigger time T (absolute, or relative to the start or end of an
     * instance of the parent, then each REPEAT after DURATION) has start <= T < end.
     */
    private static boolean alarmFires(Component parent, Component alarm, List<Component> group, Filters.TimeRange range,
                                      ZoneId floating) {
        Optional<Trigger> trigger = alarm.getProperty(Property.TRIGGER);
        if (trigger.isEmpty()) {
            return false;
        }
        int repeat = alarm.<Repeat>getProperty(Property.REPEAT).map(Repeat::getCount).orElse(0);
        Optional<TemporalAmount> every = alarm.<net.fortuna.ical4j.model.property.Duration>getProperty(Property.DURATION)
                .map(net.fortuna.ical4j.model.property.Duration::getDuration);
        if (trigger.get().isAbsolute()) {
            return firesIn(trigger.get().getDate(), repeat, every, range);
        }
        TemporalAmount offset = trigger.get().getDuration();
        boolean fromEnd = trigger.get().getParameter(Parameter.RELATED).map(r -> r.equals(Related.END)).orElse(false);
        // Instances starting this far around the range can have an alarm in it.
        Duration reach = Duration.ofDays(2).plus(Occurrences.shape(parent, floating).length(
                Occurrences.start(parent).orElse(java.time.LocalDate.EPOCH), floating));
        reach = reach.plus(Duration.between(Instant.EPOCH, Occurrences.plus(Instant.EPOCH, offset, ZoneOffset.UTC)).abs());
        if (every.isPresent()) {
            reach = reach.plus(Duration.between(Instant.EPOCH, Occurrences.plus(Instant.EPOCH, every.get(), ZoneOffset.UTC))
                    .abs().multipliedBy(Math.max(0, Math.min(repeat, 1000))));
        }
        final Duration around = reach;
        for (Occurrences.Occurrence o : Occurrences.of(group, floating, range.start().map(s -> s.minus(around)),
                range.end().map(e -> e.plus(around)))) {
            if (o.component() != parent || o.test() == Occurrences.Test.ALWAYS || o.test() == Occurrences.Test.TODO_CREATED) {
                continue;
            }
            Instant base = fromEnd ? o.end() : o.start();
            if (firesIn(Occurrences.plus(base, offset, ZoneOffset.UTC), repeat, every, range)) {
                return true;
            }
        }
        return false;
    }

    private static boolean firesIn(Instant first, int repeat, Optional<TemporalAmount> every, Filters.TimeRange range) {
        Instant t = first;
        int times = every.isPresent() ? Math.max(0, Math.min(repeat, 1000)) : 0;
        for (int i = 0; i <= times; i++) {
            if (within(t, range)) {
                return true;
            }
            if (i < times) {
                t = Occurrences.plus(t, every.get(), ZoneOffset.UTC);
            }
        }
        return false;
    }

    /** RFC 4791 9.7.2: some property of that name satisfies the time-range or text-match and every param-filter. */
    private static boolean propMatches(List<Property> properties, Filters.PropFilter f, ZoneId floating) {
        if (f.isNotDefined()) {
            return properties.isEmpty();
        }
        for (Property p : properties) {
            if (f.timeRange().isPresent() && !inRange(p, f.timeRange().get(), floating)) {
                continue;
            }
            if (f.textMatch().isPresent() && !textMatches(p.getValue(), f.textMatch().get())) {
                continue;
            }
            if (f.paramFilters().stream().allMatch(pf -> paramMatches(p, pf))) {
                return true;
            }
        }
        return false;
    }

    /** A date property whose value (or one of whose values) is in [start, end). */
    @SuppressWarnings("unchecked")
    private static boolean inRange(Property p, Filters.TimeRange range, ZoneId floating) {
        List<Temporal> values = switch (p) {
            case DateProperty<?> d -> d.getDate() == null ? List.of() : List.of((Temporal) d.getDate());
            case DateListProperty<?> l -> (List<Temporal>) (List<?>) l.getDates();
            default -> List.of();
        };
        for (Temporal v : values) {
            if (within(Occurrences.instant(v, floating), range)) {
                return true;
            }
        }
        return false;
    }

    /** start <= at < end, an open side being no constraint. */
    private static boolean within(Instant at, Filters.TimeRange range) {
        return range.start().map(s -> !s.isAfter(at)).orElse(true) && range.end().map(e -> e.isAfter(at)).orElse(true);
    }

    /** RFC 4791 9.7.3. */
    private static boolean paramMatches(Property p, Filters.ParamFilter f) {
        List<Parameter> params = p.getParameters(f.name());
        if (f.isNotDefined()) {
            return params.isEmpty();
        }
        if (f.textMatch().isEmpty()) {
            return !params.isEmpty();
        }
        return params.stream().anyMatch(param -> textMatches(param.getValue(), f.textMatch().get()));
    }

    /** RFC 4791 9.7.5: a substring match under the collation (RFC 4790 9.2, 9.3), negated on request. */
    static boolean textMatches(String value, Filters.TextMatch m) {
        String v = value == null ? "" : value;
        boolean found = m.collation().equals(FilterParser.OCTET)
                ? v.contains(m.text())
                : asciiLower(v).contains(asciiLower(m.text()));
        return found != m.negate();
    }

    /** i;ascii-casemap folds only a-z/A-Z (RFC 4790 9.2); Unicode letters stay as they are. */
    private static String asciiLower(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            b.append(ch >= 'A' && ch <= 'Z' ? (char) (ch + 32) : ch);
        }
        return b.toString();
    }
}
