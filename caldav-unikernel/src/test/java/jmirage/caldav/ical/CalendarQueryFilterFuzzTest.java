package jmirage.caldav.ical;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.ZoneOffset;
import java.util.EnumSet;
import jmirage.caldav.xml.Element;
import jmirage.caldav.xml.XmlReader;
import jmirage.core.Bytes;
import jmirage.core.Result;

/**
 * Arbitrary REPORT bodies through the XmlReader into parseFilter and parseCalendarData: a Result,
 * never an exception; a filter that parses is evaluated on real objects without one either.
 */
class CalendarQueryFilterFuzzTest {

    private static final Bytes WEEKLY = Bytes.utf8(Samples.THUNDERBIRD_WEEKLY);
    private static final CalendarIndex WEEKLY_INDEX = ICalendars.validate(WEEKLY, EnumSet.allOf(ComponentKind.class)).orElseThrow();
    private static final Bytes TODO = Bytes.utf8(Samples.DAVX5_TODO_DUE);
    private static final CalendarIndex TODO_INDEX = ICalendars.validate(TODO, EnumSet.allOf(ComponentKind.class)).orElseThrow();

    @FuzzTest(maxDuration = "20s")
    void filtersGetAResultAndNeverAnException(FuzzedDataProvider data) {
        Result<Element, ?> xml = XmlReader.parse(Bytes.of(data.consumeRemainingAsBytes()));
        if (!(xml instanceof Result.Ok<Element, ?>(Element root))) {
            return;
        }
        Result<Filters.CompFilter, IcalError> filter = ICalendars.parseFilter(root);
        assertNotNull(filter);
        if (filter instanceof Result.Ok<Filters.CompFilter, IcalError>(Filters.CompFilter f)) {
            ICalendars.matches(WEEKLY, WEEKLY_INDEX, f, ZoneOffset.UTC);
            ICalendars.matches(TODO, TODO_INDEX, f, ZoneOffset.UTC);
        }
        Result<CalendarDataRequest, IcalError> data2 = ICalendars.parseCalendarData(root);
        assertNotNull(data2);
        if (data2 instanceof Result.Ok<CalendarDataRequest, IcalError>(CalendarDataRequest request)) {
            ICalendars.render(WEEKLY, request, ZoneOffset.UTC);
        }
    }
}
