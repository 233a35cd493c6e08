package jmirage.caldav.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import jmirage.caldav.ical.CalendarIndex;
import jmirage.caldav.ical.ComponentKind;
import jmirage.core.Bytes;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * For random sequences of puts and deletes over a few names: the token always equals the token of
 * the current content read afresh, and for every earlier token, changedSince answers a superset of
 * the names whose ETag differs between then and now, made only of names recorded since, and exactly
 * that set when no name came back to the ETag it had then.
 */
class SyncLogPropertyTest {

    /** A put of {@code content} at {@code name}, or a delete when content is negative. */
    record Op(String name, int content) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.of("a.ics", "b.ics", "c.ics", "d.ics", "e.ics"),
                Arbitraries.integers().between(-1, 3)).as(Op::new);
        return op.list().ofMaxSize(40);
    }

    static Resource resource(String name, int content) {
        Bytes data = Bytes.utf8("BEGIN:VCALENDAR\r\nX:" + content + "\r\nEND:VCALENDAR\r\n");
        return Resource.of(name, data, new CalendarIndex(name, ComponentKind.VEVENT, Optional.empty(), Optional.empty(), false),
                Instant.EPOCH);
    }

    @Property(tries = 300)
    void tokensAreContentDefinedAndChangesAreAnsweredSinceAnyEarlierToken(@ForAll("ops") List<Op> ops) {
        TreeMap<String, Resource> members = new TreeMap<>();
        SyncLog log = SyncLog.of(members);
        List<String> tokens = new ArrayList<>();
        List<Map<String, String>> contents = new ArrayList<>();
        List<List<String>> recordedAfter = new ArrayList<>();
        tokens.add(log.token());
        contents.add(etags(members));
        recordedAfter.add(new ArrayList<>());
        for (Op op : ops) {
            Resource old = members.get(op.name());
            String newEtag;
            if (op.content() < 0) {
                members.remove(op.name());
                newEtag = null;
            } else {
                Resource r = resource(op.name(), op.content());
                members.put(op.name(), r);
                newEtag = r.etag();
            }
            String oldEtag = old == null ? null : old.etag();
            log = log.record(op.name(), oldEtag, newEtag);
            if (!java.util.Objects.equals(oldEtag, newEtag)) {
                for (List<String> after : recordedAfter) {
                    after.add(op.name());
                }
            }
            assertEquals(SyncLog.of(members).token(), log.token(), "the token is the content's");
            tokens.add(log.token());
            contents.add(etags(members));
            recordedAfter.add(new ArrayList<>());
        }
        Map<String, String> now = etags(members);
        for (int i = 0; i < tokens.size(); i++) {
            Set<String> differ = differing(contents.get(i), now);
            Set<String> answer = log.changedSince(tokens.get(i)).orElseThrow(() -> new AssertionError("a token in history is known"));
            assertTrue(answer.containsAll(differ), "every name that differs is reported");
            // the answer comes from the last time that token was current: its recorded names
            int last = tokens.lastIndexOf(tokens.get(i));
            assertEquals(Set.copyOf(recordedAfter.get(last)), answer);
            if (noNameCameBack(contents, last, now)) {
                assertEquals(differ, answer);
            }
        }
    }

    private static Map<String, String> etags(Map<String, Resource> members) {
        Map<String, String> e = new TreeMap<>();
        members.forEach((k, v) -> e.put(k, v.etag()));
        return e;
    }

    private static Set<String> differing(Map<String, String> then, Map<String, String> now) {
        Set<String> names = new HashSet<>(then.keySet());
        names.addAll(now.keySet());
        names.removeIf(n -> java.util.Objects.equals(then.get(n), now.get(n)));
        return names;
    }

    /** Whether no name that changed after state {@code from} is back to its ETag of then. */
    private static boolean noNameCameBack(List<Map<String, String>> contents, int from, Map<String, String> now) {
        Map<String, String> then = contents.get(from);
        for (int j = from + 1; j < contents.size(); j++) {
            Map<String, String> before = contents.get(j - 1);
            Map<String, String> after = contents.get(j);
            for (String n : differing(before, after)) {
                if (java.util.Objects.equals(then.get(n), now.get(n))) {
                    return false;
                }
            }
        }
        return true;
    }
}
