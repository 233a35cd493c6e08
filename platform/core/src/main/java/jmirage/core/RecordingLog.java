package jmirage.core;

import java.util.function.Consumer;

/**
 * The one {@link Log} implementation: it stamps records with the given clock, filters by level, and
 * hands each record to a sink (the console on the host, a list in the simulation and in tests).
 */
public final class RecordingLog implements Log {

    private final String source;
    private final LogLevel threshold;
    private final Clock clock;
    private final Consumer<LogRecord> sink;

    public RecordingLog(String source, LogLevel threshold, Clock clock, Consumer<LogRecord> sink) {
        this.source = source;
        this.threshold = threshold;
        this.clock = clock;
        this.sink = sink;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public boolean enabled(LogLevel level) {
        return level.atLeast(threshold);
    }

    @Override
    public void log(LogLevel level, String message) {
        if (enabled(level)) {
            sink.accept(new LogRecord(clock.now(), level, source, message));
        }
    }

    @Override
    public Log named(String part) {
        return new RecordingLog(source + "." + part, threshold, clock, sink);
    }
}
