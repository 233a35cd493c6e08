package jmirage.core;

import java.util.Locale;
import jmirage.core.params.Labelled;

/** How severe a log record is; a boot parameter names it by its lower-case label. */
public enum LogLevel implements Labelled {
    DEBUG, INFO, WARN, ERROR;

    public boolean atLeast(LogLevel threshold) {
        return compareTo(threshold) >= 0;
    }

    @Override
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
