package jmirage.dns.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jmirage.core.Clock;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.RecordingLog;
import org.junit.jupiter.api.Test;

class SourceLogTest {

    private final List<LogRecord> lines = new ArrayList<>();
    private final Clock clock = new Clock() {
        @Override
        public Instant now() {
            return Instant.EPOCH;
        }

        @Override
        public long monotonicNanos() {
            return 0;
        }
    };
    private final SourceLog log = new SourceLog(new RecordingLog("t", LogLevel.DEBUG, clock, lines::add), 60_000_000_000L);

    @Test
    void oneLinePerSourceAndIntervalWithTheCountOfWhatWasSuppressed() {
        InetAddress a = InetAddress.ofLiteral("192.0.2.1");
        InetAddress b = InetAddress.ofLiteral("2001:db8::1");
        for (int i = 0; i < 1000; i++) {
            log.warn(a, "bad packet", i * 1_000_000L); // a thousand in one second
        }
        log.warn(b, "bad packet", 5);
        assertEquals(2, lines.size());
        log.warn(a, "bad packet", 61_000_000_000L);
        assertEquals(3, lines.size());
        assertTrue(lines.get(2).message().contains("and 999 more since the last line"), lines.get(2).message());
        assertTrue(lines.get(1).message().startsWith("2001:db8:0:0:0:0:0:1: "), lines.get(1).message());
    }
}
