package jmirage.host;

import java.io.PrintStream;
import jmirage.core.Clock;
import jmirage.core.LogLevel;
import jmirage.core.RecordingLog;

/** Logs for the host target: one {@link jmirage.core.LogRecord#format()} line per record. */
public final class ConsoleLog {

    private ConsoleLog() {}

    /** A log that prints to standard output. */
    public static RecordingLog create(String source, LogLevel threshold, Clock clock) {
        return create(source, threshold, clock, System.out);
    }

    public static RecordingLog create(String source, LogLevel threshold, Clock clock, PrintStream out) {
        // println holds the stream's lock for the text and the line break, so records written from
        // the loop and from detached workers at the same time never share a line.
        return new RecordingLog(source, threshold, clock, logRecord -> out.println(logRecord.format()));
    }
}
