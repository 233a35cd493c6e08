package jmirage.authoritative.server;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import jmirage.core.Log;

/**
 * Logs bad input once per source per interval, so a flood of garbage costs one line per sender and
 * per minute, not one per packet. Lines suppressed in between are counted and reported with the
 * next line for that source. Mutable, owned by the server shell on its loop.
 */
public final class SourceLog {

    private static final int MAX_SOURCES = 4096;

    private final Log log;
    private final long intervalNanos;
    private final Map<InetAddress, long[]> seen = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, long[]> eldest) {
            return size() > MAX_SOURCES;
        }
    };

    public SourceLog(Log log, long intervalNanos) {
        this.log = log;
        this.intervalNanos = intervalNanos;
    }

    /** Logs {@code message} about {@code source} unless a line for it went out less than an interval ago. */
    public void warn(InetAddress source, String message, long nowNanos) {
        long[] s = seen.get(source);
        if (s != null && nowNanos - s[0] < intervalNanos) {
            s[1]++;
            return;
        }
        long suppressed = s == null ? 0 : s[1];
        seen.put(source, new long[] {nowNanos, 0});
        log.warn(source.getHostAddress() + ": " + message
                + (suppressed > 0 ? " (and " + suppressed + " more since the last line)" : ""));
    }
}
