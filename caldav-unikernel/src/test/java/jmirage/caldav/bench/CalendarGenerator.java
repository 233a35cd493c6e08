package jmirage.caldav.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * A realistic calendar for the benchmarks, the same bytes for every server: {@code count} events
 * over 2025-2027, seeded, each its own resource ({@code event-NNNNN.ics}), as a client would PUT them.
 * About 70% are single timed events (half in UTC, half in Europe/Berlin with its VTIMEZONE), 10%
 * all-day events, 20% recurring (daily, weekly or monthly with a COUNT), a third of which exclude
 * one instance (EXDATE) and a third move one (an overriding component with RECURRENCE-ID, RFC 5545
 * 3.8.4.4, in the same resource).
 *
 * <p>Each event also says when its instances are, computed here from the rule the generator chose
 * (not by parsing the iCalendar), so a test can tell which resources a time-range query must return.
 *
 * <p>Needs only the JDK, so that {@code scripts/bench-caldav} runs it from source:
 * {@code java CalendarGenerator.java DIR [COUNT] [SEED]} writes the {@code .ics} files into DIR.
 */
public final class CalendarGenerator {

    /** The month the benchmarks query: it holds the 2026 switch to summer time in Berlin. */
    public static final Instant MONTH_START = Instant.parse("2026-03-01T00:00:00Z");
    public static final Instant MONTH_END = Instant.parse("2026-04-01T00:00:00Z");

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final LocalDate FIRST_DAY = LocalDate.of(2025, 1, 1);
    private static final int DAYS = 3 * 365;
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final String[] SUMMARIES = {"Team meeting", "Dentist", "Lunch with Ana", "Sprint review",
        "Yoga", "Call the bank", "Project sync", "Train to Hamburg", "Birthday party", "Code review",
        "Parents evening", "Running club", "Quarterly planning", "Piano lesson", "Flight LH 123"};
    private static final String[] LOCATIONS = {"Room 4.12", "Video call", "Cafe Central", "Hauptbahnhof",
        "Home", "Office, 3rd floor", "Gym"};
    private static final String BERLIN_VTIMEZONE = String.join("\r\n",
            "BEGIN:VTIMEZONE", "TZID:Europe/Berlin",
            "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST",
            "DTSTART:19700329T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
            "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET",
            "DTSTART:19701025T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
            "END:VTIMEZONE") + "\r\n";

    /** When an instance is: [start, end) in UTC. */
    public record Interval(Instant start, Instant end) {
        /** RFC 4791 9.9: an event overlaps a time range when it starts before the range ends and ends after it starts. */
        public boolean overlaps(Instant from, Instant to) {
            return start.isBefore(to) && end.isAfter(from);
        }
    }

    /** One generated resource: its name, UID, iCalendar text and the instances it describes. */
    public record Event(String name, String uid, String ics, List<Interval> instances) {
        public Event {
            instances = List.copyOf(instances);
        }

        public byte[] bytes() {
            return ics.getBytes(StandardCharsets.UTF_8);
        }

        public boolean overlaps(Instant from, Instant to) {
            return instances.stream().anyMatch(i -> i.overlaps(from, to));
        }
    }

    private enum Shape { UTC, BERLIN, ALL_DAY, DAILY, WEEKLY, MONTHLY }

    private enum Variation { NONE, EXCLUDED, OVERRIDDEN }

    private CalendarGenerator() {}

    /** {@code count} events, the same for the same seed. */
    public static List<Event> generate(int count, long seed) {
        Random random = new Random(seed);
        List<Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(event(i, random));
        }
        return events;
    }

    private static Event event(int index, Random random) {
        String name = "event-%05d.ics".formatted(index);
        byte[] tag = new byte[6];
        random.nextBytes(tag);
        String uid = "bench-%05d-%s@jmirage.test".formatted(index, HexFormat.of().formatHex(tag));
        int roll = random.nextInt(100);
        Shape shape = roll < 35 ? Shape.UTC : roll < 70 ? Shape.BERLIN : roll < 80 ? Shape.ALL_DAY
                : roll < 85 ? Shape.DAILY : roll < 95 ? Shape.WEEKLY : Shape.MONTHLY;
        LocalDate day = FIRST_DAY.plusDays(random.nextInt(DAYS));
        LocalDateTime start = day.atTime(7 + random.nextInt(12), random.nextInt(4) * 15);
        Duration length = Duration.ofMinutes(30L * (1 + random.nextInt(4)));
        String summary = SUMMARIES[random.nextInt(SUMMARIES.length)];
        String location = LOCATIONS[random.nextInt(LOCATIONS.length)];
        StringBuilder ics = new StringBuilder("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//jmirage//bench generator//EN\r\n");
        List<Interval> instances = new ArrayList<>();
        String stamp = "DTSTAMP:20251201T120000Z\r\n";
        String text = "SUMMARY:%s\r\nLOCATION:%s\r\nDESCRIPTION:Generated for the CalDAV benchmark\\, event %d.\r\n"
                .formatted(summary, location, index);
        switch (shape) {
            case UTC -> {
                ics.append("BEGIN:VEVENT\r\nUID:").append(uid).append("\r\n").append(stamp)
                        .append("DTSTART:").append(utc(start)).append("\r\nDTEND:").append(utc(start.plus(length))).append("\r\n")
                        .append(text).append("END:VEVENT\r\n");
                instances.add(new Interval(start.toInstant(ZoneOffset.UTC), start.plus(length).toInstant(ZoneOffset.UTC)));
            }
            case BERLIN -> {
                ics.append(BERLIN_VTIMEZONE);
                ics.append("BEGIN:VEVENT\r\nUID:").append(uid).append("\r\n").append(stamp)
                        .append("DTSTART;TZID=Europe/Berlin:").append(LOCAL.format(start))
                        .append("\r\nDTEND;TZID=Europe/Berlin:").append(LOCAL.format(start.plus(length))).append("\r\n")
                        .append(text).append("END:VEVENT\r\n");
                instances.add(berlin(start, length));
            }
            case ALL_DAY -> {
                int days = 1 + random.nextInt(3);
                ics.append("BEGIN:VEVENT\r\nUID:").append(uid).append("\r\n").append(stamp)
                        .append("DTSTART;VALUE=DATE:").append(DATE.format(day))
                        .append("\r\nDTEND;VALUE=DATE:").append(DATE.format(day.plusDays(days))).append("\r\n")
                        .append(text).append("TRANSP:TRANSPARENT\r\nEND:VEVENT\r\n");
                // A floating date, read as UTC: the benchmark's calendars set no calendar-timezone (RFC 4791 9.9).
                instances.add(new Interval(day.atStartOfDay().toInstant(ZoneOffset.UTC),
                        day.plusDays(days).atStartOfDay().toInstant(ZoneOffset.UTC)));
            }
            case DAILY, WEEKLY, MONTHLY -> recurring(ics, instances, shape, uid, stamp, text, start, length, random);
        }
        ics.append("END:VCALENDAR\r\n");
        return new Event(name, uid, ics.toString(), instances);
    }

    /** A recurring event in Berlin time, so that its instances keep their local time across DST. */
    private static void recurring(StringBuilder ics, List<Interval> instances, Shape shape, String uid, String stamp,
                                  String text, LocalDateTime first, Duration length, Random random) {
        // A monthly rule started on the 29th-31st skips the months without that day (RFC 5545 3.3.10),
        // where plusMonths would move to the month's end: monthly events start on day 1-28 here.
        LocalDateTime start = shape == Shape.MONTHLY && first.getDayOfMonth() > 28 ? first.withDayOfMonth(28) : first;
        int count = switch (shape) {
            case DAILY -> 3 + random.nextInt(28);
            case WEEKLY -> 5 + random.nextInt(48);
            default -> 3 + random.nextInt(22);
        };
        String freq = switch (shape) {
            case DAILY -> "DAILY";
            case WEEKLY -> "WEEKLY";
            default -> "MONTHLY";
        };
        List<LocalDateTime> starts = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            starts.add(switch (shape) {
                case DAILY -> start.plusDays(n);
                case WEEKLY -> start.plusWeeks(n);
                default -> start.plusMonths(n);
            });
        }
        Variation variation = Variation.values()[random.nextInt(3)];
        // Never the first instance: DTSTART itself stays an instance (RFC 5545 3.8.5.1 lets EXDATE take it, but few clients do).
        LocalDateTime changed = starts.get(1 + random.nextInt(count - 1));
        ics.append(BERLIN_VTIMEZONE);
        ics.append("BEGIN:VEVENT\r\nUID:").append(uid).append("\r\n").append(stamp)
                .append("DTSTART;TZID=Europe/Berlin:").append(LOCAL.format(start))
                .append("\r\nDTEND;TZID=Europe/Berlin:").append(LOCAL.format(start.plus(length))).append("\r\n")
                .append("RRULE:FREQ=").append(freq).append(";COUNT=").append(count).append("\r\n");
        if (variation == Variation.EXCLUDED) {
            ics.append("EXDATE;TZID=Europe/Berlin:").append(LOCAL.format(changed)).append("\r\n");
        }
        ics.append(text).append("END:VEVENT\r\n");
        LocalDateTime moved = changed.plusDays(2).plusHours(1);
        if (variation == Variation.OVERRIDDEN) {
            ics.append("BEGIN:VEVENT\r\nUID:").append(uid).append("\r\n").append(stamp)
                    .append("RECURRENCE-ID;TZID=Europe/Berlin:").append(LOCAL.format(changed)).append("\r\n")
                    .append("DTSTART;TZID=Europe/Berlin:").append(LOCAL.format(moved))
                    .append("\r\nDTEND;TZID=Europe/Berlin:").append(LOCAL.format(moved.plus(length))).append("\r\n")
                    .append(text).append("END:VEVENT\r\n");
        }
        for (LocalDateTime s : starts) {
            if (s.equals(changed) && variation != Variation.NONE) {
                continue;
            }
            instances.add(berlin(s, length));
        }
        if (variation == Variation.OVERRIDDEN) {
            instances.add(berlin(moved, length));
        }
    }

    private static Interval berlin(LocalDateTime start, Duration length) {
        return new Interval(start.atZone(BERLIN).toInstant(), start.plus(length).atZone(BERLIN).toInstant());
    }

    private static String utc(LocalDateTime time) {
        return LOCAL.format(time) + "Z";
    }

    /** Writes the events of {@code java CalendarGenerator.java DIR [COUNT] [SEED]} into DIR, one file each. */
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: CalendarGenerator DIR [COUNT] [SEED]   (defaults: 10000 events, seed 15)");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 15;
        Files.createDirectories(dir);
        List<Event> events = generate(count, seed);
        long inMonth = 0;
        for (Event e : events) {
            Files.write(dir.resolve(e.name()), e.bytes());
            inMonth += e.overlaps(MONTH_START, MONTH_END) ? 1 : 0;
        }
        System.out.printf("%d events in %s; %d of them have an instance in %s..%s%n", count, dir, inMonth, MONTH_START, MONTH_END);
    }
}
