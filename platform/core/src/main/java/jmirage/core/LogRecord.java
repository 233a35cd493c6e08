package jmirage.core;

import java.time.Instant;
import java.util.Objects;

/** One log event: when, how serious, which part of the unikernel, what happened. */
public record LogRecord(Instant time, LogLevel level, String source, String message) {
    public LogRecord {
        Objects.requireNonNull(time);
        Objects.requireNonNull(level);
        Objects.requireNonNull(source);
        Objects.requireNonNull(message);
    }

    /**
     * The one-line form every target prints: {@code 2026-11-28T14:00:00.123Z info echo.tcp: message}.
     * Control characters are escaped, so text from a peer cannot forge or split log lines.
     */
    public String format() {
        return utc(time) + " " + level.label() + " " + escape(source) + ": " + escape(message);
    }

    private static final long SECONDS_PER_DAY = 86_400;
    private static final long DAYS_PER_ERA = 146_097;
    /** Days from 0000-03-01, where the proleptic Gregorian eras of 400 years start here, to 1970-01-01. */
    private static final long DAYS_TO_EPOCH = 719_468;

    /**
     * {@code time} as {@link Instant#toString} writes it (ISO 8601 in UTC, the fraction in groups of
     * three digits, none when zero), computed here for the years 0 to 9999: the JDK's formatter
     * initialises all of {@code java.time.format} at a unikernel's first log line, a few milliseconds
     * of every boot (decision 23). The date from the day count as in Howard Hinnant's
     * {@code civil_from_days}; other years, as the JDK writes them.
     */
    static String utc(Instant time) {
        long days = Math.floorDiv(time.getEpochSecond(), SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(time.getEpochSecond(), SECONDS_PER_DAY);
        long shifted = days + DAYS_TO_EPOCH;
        long era = Math.floorDiv(shifted, DAYS_PER_ERA);
        long dayOfEra = shifted - era * DAYS_PER_ERA;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthFromMarch = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
        int month = (int) (monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            return time.toString();
        }
        StringBuilder out = new StringBuilder(30);
        digits(out, year, 4).append('-');
        digits(out, month, 2).append('-');
        digits(out, day, 2).append('T');
        digits(out, secondOfDay / 3600, 2).append(':');
        digits(out, secondOfDay / 60 % 60, 2).append(':');
        digits(out, secondOfDay % 60, 2);
        int nanos = time.getNano();
        if (nanos != 0) {
            out.append('.');
            if (nanos % 1_000_000 == 0) {
                digits(out, nanos / 1_000_000, 3);
            } else if (nanos % 1000 == 0) {
                digits(out, nanos / 1000, 6);
            } else {
                digits(out, nanos, 9);
            }
        }
        return out.append('Z').toString();
    }

    private static StringBuilder digits(StringBuilder out, long value, int width) {
        String text = Long.toString(value);
        for (int i = text.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(text);
    }

    static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\\';
            if (control && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                switch (c) {
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\\' -> out.append("\\\\");
                    default -> {
                        if (control) {
                            out.append(String.format("\\x%02x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
        }
        return out == null ? text : out.toString();
    }
}
