package jmirage.caldav.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import jmirage.core.Bytes;
import jmirage.core.Result;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The history a clean stop writes and the next boot reads: for random changes (names with spaces,
 * '%' and line breaks among them), every token of the newest {@link SyncHistoryFile#KEPT} steps
 * gets the same answer from the history read back as from the one written, older ones none; a
 * file written for other content is refused as such, and a damaged one as malformed.
 */
class SyncHistoryFileTest {

    @Provide
    Arbitrary<List<SyncLogPropertyTest.Op>> ops() {
        Arbitrary<SyncLogPropertyTest.Op> op = Combinators.combine(Arbitraries.of("a.ics", "b c.ics", "100%0A.ics", "x\ny.ics", "e.ics"),
                Arbitraries.integers().between(-1, 3)).as(SyncLogPropertyTest.Op::new);
        return op.list().ofMaxSize(SyncHistoryFile.KEPT + 100);
    }

    @Property(tries = 60)
    void theHistoryReadBackAnswersAsTheOneWritten(@ForAll("ops") List<SyncLogPropertyTest.Op> ops) {
        TreeMap<String, Resource> members = new TreeMap<>();
        SyncLog log = SyncLog.of(members);
        List<String> tokens = new ArrayList<>();
        for (SyncLogPropertyTest.Op op : ops) {
            tokens.add(log.token());
            Resource old = members.get(op.name());
            Resource next = op.content() < 0 ? null : SyncLogPropertyTest.resource(op.name(), op.content());
            if (next == null) {
                members.remove(op.name());
            } else {
                members.put(op.name(), next);
            }
            log = log.record(op.name(), old == null ? null : old.etag(), next == null ? null : next.etag());
        }
        Bytes file = SyncHistoryFile.encode(log);
        SyncLog read = SyncHistoryFile.resume(file, SyncLog.of(members)).orElseThrow();
        assertEquals(log.token(), read.token());
        assertEquals(Math.min(log.historySize(), SyncHistoryFile.KEPT), read.historySize());
        // the tokens handed out before each of the newest KEPT recorded steps
        List<SyncLog.Change> kept = log.recent(SyncHistoryFile.KEPT);
        for (SyncLog.Change step : kept) {
            assertEquals(log.changedSince(step.tokenBefore()), read.changedSince(step.tokenBefore()), step.toString());
            assertTrue(read.changedSince(step.tokenBefore()).isPresent());
        }
        for (String token : tokens) {
            Optional<Set<String>> answer = read.changedSince(token);
            assertTrue(answer.isEmpty() || answer.equals(log.changedSince(token)), token);
        }
        assertEquals(file, SyncHistoryFile.encode(read), "read and written again: the same file");
    }

    @Property(tries = 30)
    void aFileForOtherContentIsRefused(@ForAll("ops") List<SyncLogPropertyTest.Op> ops) {
        TreeMap<String, Resource> members = new TreeMap<>();
        SyncLog log = SyncLog.of(members);
        for (SyncLogPropertyTest.Op op : ops) {
            Resource next = SyncLogPropertyTest.resource(op.name(), 10 + Math.abs(op.content()));
            Resource old = members.put(op.name(), next);
            log = log.record(op.name(), old == null ? null : old.etag(), next.etag());
        }
        TreeMap<String, Resource> changedWhileDown = new TreeMap<>(members);
        changedWhileDown.put("new.ics", SyncLogPropertyTest.resource("new.ics", 1));
        Result<SyncLog, SyncHistoryFile.Refusal> r = SyncHistoryFile.resume(SyncHistoryFile.encode(log), SyncLog.of(changedWhileDown));
        SyncHistoryFile.Refusal.OtherContent other = assertInstanceOf(SyncHistoryFile.Refusal.OtherContent.class,
                ((Result.Err<SyncLog, SyncHistoryFile.Refusal>) r).error());
        assertEquals(log.token(), other.written());
        assertEquals(SyncLog.of(changedWhileDown).token(), other.loaded());

        String text = SyncHistoryFile.encode(log).toUtf8();
        Result<SyncLog, SyncHistoryFile.Refusal> cut = SyncHistoryFile.resume(Bytes.utf8(text.substring(0, text.lastIndexOf("token "))), SyncLog.of(members));
        assertInstanceOf(SyncHistoryFile.Refusal.Malformed.class, ((Result.Err<SyncLog, SyncHistoryFile.Refusal>) cut).error(),
                "without its last line");
    }
}
