package jmirage.canopy.content;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;
import jmirage.core.Result;

/**
 * Dates as articles give them and as the feed and the sitemap print them: RFC 3339 5.6
 * {@code date-time}, or a bare {@code full-date} read as midnight UTC.
 */
public final class Rfc3339 {

    // RFC 3339 5.6: four-digit years, "T" (or, per its note, a space; either case), an offset or Z
    private static final Pattern FULL_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern DATE_TIME = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

    private Rfc3339() {}

    /** The instant {@code text} names, or why it names none. */
    public static Result<Instant, String> parse(String text) {
        try {
            Instant instant;
            if (FULL_DATE.matcher(text).matches()) {
                instant = LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } else if (DATE_TIME.matcher(text).matches()) {
                String iso = text.toUpperCase(Locale.ROOT).replace(' ', 'T');
                instant = OffsetDateTime.parse(iso, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } else {
                return Result.err("'" + text + "' is not a date (RFC 3339: 2026-12-06 or 2026-12-06T13:00:00Z)");
            }
            if (!hasFourDigitYear(instant)) {
                return Result.err("'" + text + "' falls outside the years 0000 to 9999 in UTC");
            }
            return Result.ok(instant);
        } catch (DateTimeException e) {
            return Result.err("'" + text + "' is not a valid date: " + e.getMessage());
        }
    }

    /** RFC 3339 5.6 {@code date-time} in UTC, {@code 2026-12-06T13:00:00Z}. */
    public static String format(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    /** The day alone, {@code 2026-12-06}, for people. */
    public static String formatDay(Instant instant) {
        return DateTimeFormatter.ISO_LOCAL_DATE.format(instant.atOffset(ZoneOffset.UTC));
    }

    static void requireFourDigitYear(Instant instant) {
        if (!hasFourDigitYear(instant)) {
            throw new IllegalArgumentException(instant + " cannot be written as an RFC 3339 date");
        }
    }

    private static boolean hasFourDigitYear(Instant instant) {
        int year = instant.atOffset(ZoneOffset.UTC).getYear();
        return year >= 0 && year <= 9999;
    }
}
