package jmirage.launcher;

import java.text.MessageFormat;
import java.util.ResourceBundle;
import jmirage.core.LogLevel;

/**
 * The JDK's own {@link System.Logger} (registered in {@code META-INF/services}), written through
 * {@link LibraryLog} like the other libraries, source {@code jdk}.
 */
public final class LibrarySystemLoggerFinder extends System.LoggerFinder {

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new JdkLogger(name);
    }

    /** Trace and debug become debug; {@code OFF} is never printed. */
    static LogLevel level(System.Logger.Level level) {
        return switch (level) {
            case ALL, TRACE, DEBUG -> LogLevel.DEBUG;
            case INFO -> LogLevel.INFO;
            case WARNING -> LogLevel.WARN;
            case ERROR, OFF -> LogLevel.ERROR;
        };
    }

    private record JdkLogger(String name) implements System.Logger {

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            return level != Level.OFF && LibraryLog.enabled(level(level));
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable cause) {
            if (isLoggable(level)) {
                LibraryLog.log(name, level(level), LibraryLog.withCause(localized(bundle, message), cause));
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... parameters) {
            if (isLoggable(level)) {
                String pattern = localized(bundle, format);
                String message = parameters == null || parameters.length == 0
                        ? pattern : new MessageFormat(pattern).format(parameters);
                LibraryLog.log(name, level(level), message);
            }
        }

        private static String localized(ResourceBundle bundle, String key) {
            return bundle != null && key != null && bundle.containsKey(key) ? bundle.getString(key) : String.valueOf(key);
        }
    }
}
