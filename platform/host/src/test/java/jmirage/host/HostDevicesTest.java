package jmirage.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.LogLevel;
import org.junit.jupiter.api.Test;

class HostDevicesTest {

    @Test
    void consoleLogPrintsOneFormattedLinePerRecordAtOrAboveItsLevel() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Clock fixed = new Clock() {
            @Override
            public Instant now() {
                return Instant.parse("2026-11-28T14:00:00.123Z");
            }

            @Override
            public long monotonicNanos() {
                return 0;
            }
        };
        Log log = ConsoleLog.create("echo", LogLevel.INFO, fixed, new PrintStream(out, true, StandardCharsets.UTF_8));

        log.debug(() -> "not shown");
        log.named("tcp").info("listening on 127.0.0.1:7");
        log.warn("peer 127.0.0.1:4000 reset");

        assertEquals("""
                2026-11-28T14:00:00.123Z info echo.tcp: listening on 127.0.0.1:7
                2026-11-28T14:00:00.123Z warn echo: peer 127.0.0.1:4000 reset
                """.replace("\n", System.lineSeparator()), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void hostClockIsMonotonicAndNearTheSystemClock() {
        HostClock clock = new HostClock();
        long first = clock.monotonicNanos();
        Instant now = clock.now();

        assertTrue(clock.monotonicNanos() >= first);
        assertTrue(Math.abs(now.toEpochMilli() - System.currentTimeMillis()) < 60_000);
    }

    @Test
    void hostRandomFillsBuffers() {
        HostRandom random = new HostRandom();
        // Two equal 32-byte draws, or an all-zero one, would mean the source is broken (odds 2^-256).
        assertNotEquals(random.bytes(32), random.bytes(32));
        assertNotEquals(jmirage.core.Bytes.adopt(new byte[32]), random.bytes(32));
    }
}
