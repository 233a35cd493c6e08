package jmirage.dns.server;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import jmirage.core.Log;
import jmirage.core.TokenBucket;

/**
 * Logs bad input once per source per interval, so a flood of garbage costs one line per sender and
 * per minute, not one per packet. Lines suppressed in between are counted and reported with the
 * next line for that source. Mutable, owned by the server shell on its loop.
 */
public final class SourceLog {

    private static final int MAX_SOURCES = 4096;

    private final Log log;
    private final Duration interval;
    private final Map<InetAddress, TokenBucket> seen = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, TokenBucket> eldest) {
            return size() > MAX_SOURCES;
        }
    };

    public SourceLog(Log log, long intervalNanos) {
        this.log = log;
        this.interval = Duration.ofNanos(intervalNanos);
    }

    /** Logs {@code message} about {@code source} unless a line for it went out less than an interval ago. */
    public void warn(InetAddress source, String message, long nowNanos) {
        long suppressed = seen.computeIfAbsent(source, s -> new TokenBucket(1, interval)).take(nowNanos);
        if (suppressed < 0) {
            return;
        }
        log.warn(source.getHostAddress() + ": " + message
                + (suppressed > 0 ? " (and " + suppressed + " more since the last line)" : ""));
    }
}
