package jmirage.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogRecordTest {

    @Test
    void textFromAPeerCannotForgeALogLine() {
        LogRecord r = new LogRecord(Instant.parse("2026-11-28T14:00:00Z"), LogLevel.WARN, "dns",
                "bad name a\n2026-11-28T14:00:01Z error fake: x\u0007\\");
        assertEquals("2026-11-28T14:00:00Z warn dns: bad name a\\n2026-11-28T14:00:01Z error fake: x\\x07\\\\", r.format());
        assertEquals(1, r.format().lines().count());
    }
}
