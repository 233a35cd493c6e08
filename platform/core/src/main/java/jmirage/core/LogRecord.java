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

    /**
     * The one-line form every target prints: {@code 2026-11-28T14:00:00.123Z info echo.tcp: message}.
     * Control characters are escaped, so text from a peer cannot forge or split log lines.
     */
    public String format() {
        return time + " " + level.label() + " " + escape(source) + ": " + escape(message);
    }

    static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\\';
            if (control && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                switch (c) {
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\\' -> out.append("\\\\");
                    default -> {
                        if (control) {
                            out.append(String.format("\\x%02x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
        }
        return out == null ? text : out.toString();
    }
}
