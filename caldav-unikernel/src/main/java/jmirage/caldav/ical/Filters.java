package jmirage.caldav.ical;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The filter of a calendar-query (RFC 4791 9.7), as a value. Names are upper case (VEVENT, DTSTART). */
public final class Filters {

    private Filters() {}

    /** [start, end); either side may be open (RFC 4791 9.9). */
    public record TimeRange(Optional<Instant> start, Optional<Instant> end) {}

    /** RFC 4791 9.7.5; collation i;ascii-casemap (the default) or i;octet. */
    public record TextMatch(String text, String collation, boolean negate) {}

    public record ParamFilter(String name, boolean isNotDefined, Optional<TextMatch> textMatch) {}

    public record PropFilter(String name, boolean isNotDefined, Optional<TimeRange> timeRange,
                             Optional<TextMatch> textMatch, List<ParamFilter> paramFilters) {}

    public record CompFilter(String name, boolean isNotDefined, Optional<TimeRange> timeRange,
                             List<PropFilter> propFilters, List<CompFilter> compFilters) {}
}
