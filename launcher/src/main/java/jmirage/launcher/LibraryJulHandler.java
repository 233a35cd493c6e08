package jmirage.launcher;

import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import jmirage.core.LogLevel;

/**
 * {@code java.util.logging}, for a library that logs through it directly (Bouncy Castle's JSSE
 * does): its records go to {@link LibraryLog} instead of the JDK's two-line format on standard
 * error. {@link #install} replaces the root logger's handlers with this one.
 */
final class LibraryJulHandler extends Handler {

    private final Formatter messages = new SimpleFormatter();

    private LibraryJulHandler() {}

    /** Routes every {@code java.util.logging} record at {@code threshold} and above through {@link LibraryLog}. */
    static void install(LogLevel threshold) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.addHandler(new LibraryJulHandler());
        root.setLevel(switch (threshold) {
            case DEBUG -> Level.FINEST;
            case INFO -> Level.INFO;
            case WARN -> Level.WARNING;
            case ERROR -> Level.SEVERE;
        });
    }

    /** SEVERE is error, WARNING warn, INFO info, the finer levels debug. */
    static LogLevel level(Level level) {
        int value = level.intValue();
        if (value >= Level.SEVERE.intValue()) {
            return LogLevel.ERROR;
        }
        if (value >= Level.WARNING.intValue()) {
            return LogLevel.WARN;
        }
        return value >= Level.INFO.intValue() ? LogLevel.INFO : LogLevel.DEBUG;
    }

    @Override
    public void publish(LogRecord record) {
        String name = record.getLoggerName() == null ? "jul" : record.getLoggerName();
        LibraryLog.log(name, level(record.getLevel()), LibraryLog.withCause(messages.formatMessage(record), record.getThrown()));
    }

    @Override
    public void flush() {
        // LibraryLog prints each record whole
    }

    @Override
    public void close() {
        // nothing held
    }
}
