package jmirage.core;

import java.util.Locale;

public enum LogLevel {
    DEBUG, INFO, WARN, ERROR;

    public boolean atLeast(LogLevel threshold) {
        return compareTo(threshold) >= 0;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
