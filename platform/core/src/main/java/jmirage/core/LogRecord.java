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

    /** The one-line form every target prints: {@code 2026-11-28T14:00:00.123Z info echo.tcp: message}. */
    public String format() {
        return time + " " + level.label() + " " + source + ": " + message;
    }
}
