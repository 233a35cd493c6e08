package jmirage.caldav.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SyncLogTest {

    @Test
    void theTokenIsAUriOfTheContentAndSurvivesARestart() {
        TreeMap<String, Resource> members = new TreeMap<>();
        members.put("a.ics", SyncLogPropertyTest.resource("a.ics", 1));
        SyncLog running = SyncLog.of(new TreeMap<>()).record("a.ics", null, members.get("a.ics").etag());
        SyncLog restarted = SyncLog.of(members);
        assertTrue(running.token().matches("http://jmirage\\.org/ns/sync/[0-9a-f]{64}"), running.token());
        assertEquals(running.token(), restarted.token());
        assertEquals(Optional.of(Set.of()), restarted.changedSince(running.token()), "the current token is valid without history");
        assertNotEquals(SyncLog.of(new TreeMap<>()).token(), restarted.token());
    }

    @Test
    void anUnchangedEtagChangesNothing() {
        SyncLog log = SyncLog.of(new TreeMap<>()).record("a.ics", null, "\"1\"");
        assertSame(log, log.record("a.ics", "\"1\"", "\"1\""));
        assertEquals(1, log.historySize());
    }

    @Test
    void unknownOrMalformedTokensAreRefused() {
        SyncLog log = SyncLog.of(new TreeMap<>()).record("a.ics", null, "\"1\"");
        assertEquals(Optional.empty(), log.changedSince(SyncLog.TOKEN_PREFIX + "1".repeat(64)));
        assertEquals(Optional.empty(), log.changedSince("http://example.com/other-server/1"));
        assertEquals(Optional.empty(), log.changedSince(SyncLog.TOKEN_PREFIX + "XYZ"));
        assertEquals(Optional.empty(), log.changedSince(""));
    }

    @Test
    void historyIsBoundedAndTheOldestTokensExpire() {
        SyncLog log = SyncLog.of(new TreeMap<>());
        String first = log.token();
        String recent = null;
        for (int i = 0; i < 3 * SyncLog.HISTORY; i++) {
            if (i == 3 * SyncLog.HISTORY - 10) {
                recent = log.token();
            }
            log = log.record("n" + i + ".ics", null, "\"e\"");
        }
        assertTrue(log.historySize() >= SyncLog.HISTORY && log.historySize() <= 2 * SyncLog.HISTORY, "" + log.historySize());
        assertEquals(Optional.empty(), log.changedSince(first));
        assertEquals(10, log.changedSince(recent).orElseThrow().size());
    }
}
