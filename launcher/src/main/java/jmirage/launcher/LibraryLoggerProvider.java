package jmirage.launcher;

import java.io.Serial;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import jmirage.core.LogLevel;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J 2 provider of the launcher (registered in {@code META-INF/services}): what JGit and
 * Netty log through SLF4J goes to {@link LibraryLog}, in the unikernel's format. Trace becomes
 * debug; the other levels keep their names.
 */
public final class LibraryLoggerProvider implements SLF4JServiceProvider {

    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final ILoggerFactory loggerFactory = name -> loggers.computeIfAbsent(name, LibraryLogger::new);
    private final IMarkerFactory markerFactory = new BasicMarkerFactory();
    private final MDCAdapter mdcAdapter = new BasicMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggerFactory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markerFactory;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdcAdapter;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        // nothing to set up: LibraryLog holds the threshold and the output
    }

    static LogLevel level(Level level) {
        return switch (level) {
            case TRACE, DEBUG -> LogLevel.DEBUG;
            case INFO -> LogLevel.INFO;
            case WARN -> LogLevel.WARN;
            case ERROR -> LogLevel.ERROR;
        };
    }

    /** One named SLF4J logger writing through {@link LibraryLog}. */
    static final class LibraryLogger extends LegacyAbstractLogger {
        @Serial
        private static final long serialVersionUID = 1L;

        LibraryLogger(String name) {
            this.name = name;
        }

        @Override
        public boolean isTraceEnabled() {
            return LibraryLog.enabled(LogLevel.DEBUG);
        }

        @Override
        public boolean isDebugEnabled() {
            return LibraryLog.enabled(LogLevel.DEBUG);
        }

        @Override
        public boolean isInfoEnabled() {
            return LibraryLog.enabled(LogLevel.INFO);
        }

        @Override
        public boolean isWarnEnabled() {
            return LibraryLog.enabled(LogLevel.WARN);
        }

        @Override
        public boolean isErrorEnabled() {
            return LibraryLog.enabled(LogLevel.ERROR);
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                                   Throwable cause) {
            String message = MessageFormatter.basicArrayFormat(pattern, arguments);
            LibraryLog.log(name, level(level), LibraryLog.withCause(message, cause));
        }
    }
}
