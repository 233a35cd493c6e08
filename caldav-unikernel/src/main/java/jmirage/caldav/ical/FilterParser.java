package jmirage.caldav.ical;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.core.Result;

/** The {@code C:filter} of a calendar-query (RFC 4791 9.7) and the time-range elements (9.9) read as values. */
final class FilterParser {

    static final String ASCII_CASEMAP = "i;ascii-casemap";
    static final String OCTET = "i;octet";

    private static final DateTimeFormatter UTC_BASIC = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT);

    private FilterParser() {}

    /** RFC 4791 9.7: exactly one comp-filter, named VCALENDAR. */
    static Result<Filters.CompFilter, IcalError> filter(Element filter) {
        if (!filter.name().equals(DavNames.FILTER)) {
            return invalid("expected C:filter, got " + filter.name());
        }
        List<Element> comps = filter.elements().toList();
        if (comps.size() != 1 || !comps.get(0).name().equals(DavNames.caldav("comp-filter"))) {
            return invalid("C:filter holds exactly one C:comp-filter");
        }
        Element top = comps.get(0);
        if (!"VCALENDAR".equalsIgnoreCase(top.attribute("name").orElse(""))) {
            return invalid("the top comp-filter is named VCALENDAR");
        }
        return compFilter(top, 0).flatMap(c -> c.timeRange().isPresent() || c.isNotDefined()
                ? invalid("the VCALENDAR comp-filter takes neither time-range nor is-not-defined")
                : Result.ok(c));
    }

    private static Result<Filters.CompFilter, IcalError> compFilter(Element e, int depth) {
        Optional<String> name = e.attribute("name").filter(n -> !n.isBlank());
        if (name.isEmpty()) {
            return invalid("comp-filter without a name");
        }
        if (depth > 4) {
            return invalid("comp-filters nested deeper than iCalendar components are");
        }
        boolean notDefined = false;
        Optional<Filters.TimeRange> range = Optional.empty();
        List<Filters.PropFilter> props = new ArrayList<>();
        List<Filters.CompFilter> comps = new ArrayList<>();
        for (Element child : e.elements().toList()) {
            String local = child.name().local();
            if (!child.name().namespace().equals(DavNames.CALDAV)) {
                return invalid("unknown element " + child.name() + " in comp-filter");
            }
            switch (local) {
                case "is-not-defined" -> notDefined = true;
                case "time-range" -> {
                    if (range.isPresent()) {
                        return invalid("two time-range elements in comp-filter " + name.get());
                    }
                    Result<Filters.TimeRange, IcalError> r = timeRange(child);
                    if (r instanceof Result.Err<Filters.TimeRange, IcalError>(IcalError error)) {
                        return Result.err(error);
                    }
                    range = Optional.of(r.orElseThrow());
                }
                case "prop-filter" -> {
                    Result<Filters.PropFilter, IcalError> p = propFilter(child);
                    if (p instanceof Result.Err<Filters.PropFilter, IcalError>(IcalError error)) {
                        return Result.err(error);
                    }
                    props.add(p.orElseThrow());
                }
                case "comp-filter" -> {
                    Result<Filters.CompFilter, IcalError> c = compFilter(child, depth + 1);
                    if (c instanceof Result.Err<Filters.CompFilter, IcalError>(IcalError error)) {
                        return Result.err(error);
                    }
                    comps.add(c.orElseThrow());
                }
                default -> {
                    return invalid("unknown element " + child.name() + " in comp-filter");
                }
            }
        }
        if (notDefined && (range.isPresent() || !props.isEmpty() || !comps.isEmpty())) {
            return invalid("is-not-defined stands alone in comp-filter " + name.get());
        }
        return Result.ok(new Filters.CompFilter(name.get().toUpperCase(Locale.ROOT), notDefined, range, props, comps));
    }

    private static Result<Filters.PropFilter, IcalError> propFilter(Element e) {
        Optional<String> name = e.attribute("name").filter(n -> !n.isBlank());
        if (name.isEmpty()) {
            return invalid("prop-filter without a name");
        }
        boolean notDefined = false;
        Optional<Filters.TimeRange> range = Optional.empty();
        Optional<Filters.TextMatch> text = Optional.empty();
        List<Filters.ParamFilter> params = new ArrayList<>();
        for (Element child : e.elements().toList()) {
            if (!child.name().namespace().equals(DavNames.CALDAV)) {
                return invalid("unknown element " + child.name() + " in prop-filter");
            }
            switch (child.name().local()) {
                case "is-not-defined" -> notDefined = true;
                case "time-range" -> {
                    Result<Filters.TimeRange, IcalError> r = timeRange(child);
                    if (r instanceof Result.Err<Filters.TimeRange, IcalError>(IcalError error)) {
                        return Result.err(error);
                    }
                    range = Optional.of(r.orElseThrow());
                }
                case "text-match" -> {
                    Result<Filters.TextMatch, IcalError> t = textMatch(child);
                    if (t instanceof Result.Err<Filters.TextMatch, IcalError>(IcalError error)) {
                        return Result.err(error);
                    }
                    text = Optional.of(t.orElseThrow());
                }
                case "param-filter" -> {
                    Result<Filters.ParamFilter, IcalError> p = paramFilter(child);
                    if (p instanceof Result.Err<Filters.ParamFilter, IcalError>(IcalError error)) {
                        return Result.err(error);
                    }
                    params.add(p.orElseThrow());
                }
                default -> {
                    return invalid("unknown element " + child.name() + " in prop-filter");
                }
            }
        }
        // RFC 4791 9.7.2: is-not-defined, or at most one of time-range and text-match, then param-filters.
        if (notDefined && (range.isPresent() || text.isPresent() || !params.isEmpty())) {
            return invalid("is-not-defined stands alone in prop-filter " + name.get());
        }
        if (range.isPresent() && text.isPresent()) {
            return invalid("prop-filter " + name.get() + " has both time-range and text-match");
        }
        return Result.ok(new Filters.PropFilter(name.get().toUpperCase(Locale.ROOT), notDefined, range, text, params));
    }

    private static Result<Filters.ParamFilter, IcalError> paramFilter(Element e) {
        Optional<String> name = e.attribute("name").filter(n -> !n.isBlank());
        if (name.isEmpty()) {
            return invalid("param-filter without a name");
        }
        boolean notDefined = false;
        Optional<Filters.TextMatch> text = Optional.empty();
        for (Element child : e.elements().toList()) {
            if (child.name().equals(DavNames.caldav("is-not-defined"))) {
                notDefined = true;
            } else if (child.name().equals(DavNames.caldav("text-match"))) {
                Result<Filters.TextMatch, IcalError> t = textMatch(child);
                if (t instanceof Result.Err<Filters.TextMatch, IcalError>(IcalError error)) {
                    return Result.err(error);
                }
                text = Optional.of(t.orElseThrow());
            } else {
                return invalid("unknown element " + child.name() + " in param-filter");
            }
        }
        if (notDefined && text.isPresent()) {
            return invalid("param-filter " + name.get() + " has both is-not-defined and text-match");
        }
        return Result.ok(new Filters.ParamFilter(name.get().toUpperCase(Locale.ROOT), notDefined, text));
    }

    /** RFC 4791 9.7.5: collation i;ascii-casemap by default; i;octet; anything else is unsupported (7.5.1). */
    private static Result<Filters.TextMatch, IcalError> textMatch(Element e) {
        String collation = e.attribute("collation").orElse(ASCII_CASEMAP);
        if (!collation.equals(ASCII_CASEMAP) && !collation.equals(OCTET)) {
            return Result.err(new IcalError.UnsupportedFilter("collation " + collation));
        }
        String negate = e.attribute("negate-condition").orElse("no");
        if (!negate.equals("yes") && !negate.equals("no")) {
            return invalid("negate-condition is yes or no, not " + negate);
        }
        return Result.ok(new Filters.TextMatch(e.text(), collation, negate.equals("yes")));
    }

    /** RFC 4791 9.9: start and/or end, UTC date-times in basic format, start before end. */
    static Result<Filters.TimeRange, IcalError> timeRange(Element e) {
        Optional<String> startText = e.attribute("start");
        Optional<String> endText = e.attribute("end");
        if (startText.isEmpty() && endText.isEmpty()) {
            return invalid("time-range without start or end");
        }
        Optional<Instant> start = Optional.empty();
        Optional<Instant> end = Optional.empty();
        if (startText.isPresent()) {
            Optional<Instant> s = utc(startText.get());
            if (s.isEmpty()) {
                return invalid("time-range start '" + clip(startText.get()) + "' is not a UTC date-time");
            }
            start = s;
        }
        if (endText.isPresent()) {
            Optional<Instant> t = utc(endText.get());
            if (t.isEmpty()) {
                return invalid("time-range end '" + clip(endText.get()) + "' is not a UTC date-time");
            }
            end = t;
        }
        if (start.isPresent() && end.isPresent() && !end.get().isAfter(start.get())) {
            return invalid("time-range end is not after its start");
        }
        return Result.ok(new Filters.TimeRange(start, end));
    }

    private static Optional<Instant> utc(String text) {
        try {
            return Optional.of(LocalDateTime.parse(text.trim(), UTC_BASIC).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) : s;
    }

    private static <T> Result<T, IcalError> invalid(String detail) {
        return Result.err(new IcalError.InvalidFilter(detail));
    }
}
