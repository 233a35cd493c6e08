package jmirage.launcher;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import jmirage.core.LogLevel;

/**
 * {@code java.util.logging}, for a library that logs through it directly (Bouncy Castle does): its
 * records go to {@link LibraryLog} instead of the JDK's two-line format on standard error.
 *
 * <p>Set up when a library first uses it, not at boot ({@link #onFirstUse}): the JDK's
 * {@link LogManager}, as it starts, looks for {@code System.LoggerFinder} providers on the class
 * path, which opens every jar of it (about a millisecond a jar, decision 23), and a unikernel whose
 * libraries never log through it (echo, the DNS servers) should not pay for that at every boot.
 * Where {@code LogManager} is already running (tests), making a {@link Configuration} sets it up at once.
 */
public final class LibraryJulHandler extends Handler {

    private static final String CONFIGURATION_CLASS = "java.util.logging.config.class";
    private static final Object LOCK = new Object();
    /** Whether the root logger has this handler: from then on {@link #threshold} sets its level. */
    private static boolean configured;

    private final Formatter messages = new SimpleFormatter();

    /** Made by {@link LogManager} from the {@code handlers} property that {@link Configuration} sets. */
    public LibraryJulHandler() {}

    /**
     * Names {@link Configuration} as {@code java.util.logging}'s configuration, read by
     * {@link LogManager} when a library first logs through it; before any library has, so that
     * {@code LogManager} never starts without it. An operator's {@code -Djava.util.logging.config.class}
     * or {@code .file} is left alone.
     */
    static void onFirstUse() {
        if (System.getProperty(CONFIGURATION_CLASS) == null && System.getProperty("java.util.logging.config.file") == null) {
            System.setProperty(CONFIGURATION_CLASS, Configuration.class.getName());
        }
    }

    /**
     * {@code java.util.logging}'s configuration ({@code java.util.logging.config.class}): the root
     * logger's one handler is this class, its level {@link LibraryLog}'s threshold of the moment.
     */
    public static final class Configuration {

        public Configuration() {
            synchronized (LOCK) {
                String properties = "handlers=" + LibraryJulHandler.class.getName() + "\n.level=" + julLevel(LibraryLog.threshold()) + "\n";
                try {
                    LogManager.getLogManager().readConfiguration(new ByteArrayInputStream(properties.getBytes(StandardCharsets.ISO_8859_1)));
                } catch (IOException e) {
                    throw new UncheckedIOException("reading java.util.logging's configuration from memory", e);
                }
                configured = true;
            }
        }
    }

    /**
     * The root logger's level, once {@code java.util.logging} runs with this handler; before that
     * {@link Configuration} takes the threshold from {@link LibraryLog}.
     */
    static void threshold(LogLevel threshold) {
        synchronized (LOCK) {
            if (configured) {
                Logger.getLogger("").setLevel(julLevel(threshold));
            }
        }
    }

    private static Level julLevel(LogLevel threshold) {
        return switch (threshold) {
            case DEBUG -> Level.FINEST;
            case INFO -> Level.INFO;
            case WARN -> Level.WARNING;
            case ERROR -> Level.SEVERE;
        };
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
