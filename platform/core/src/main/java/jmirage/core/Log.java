package jmirage.core;

import java.util.function.Supplier;

/**
 * Logging, the device. A log has a source ({@code echo}, {@code echo.tcp}); records carry the time
 * of the unikernel's own {@link Clock}. Logs are for operators: one line per event that matters,
 * with the peer and the reason.
 */
public interface Log {

    String source();

    boolean enabled(LogLevel level);

    void log(LogLevel level, String message);

    /** A log for a part of this one: {@code log.named("tcp")} writes as {@code echo.tcp}. */
    Log named(String part);

    default void debug(Supplier<String> message) {
        if (enabled(LogLevel.DEBUG)) {
            log(LogLevel.DEBUG, message.get());
        }
    }

    default void info(String message) {
        log(LogLevel.INFO, message);
    }

    default void warn(String message) {
        log(LogLevel.WARN, message);
    }

    default void error(String message) {
        log(LogLevel.ERROR, message);
    }
}
