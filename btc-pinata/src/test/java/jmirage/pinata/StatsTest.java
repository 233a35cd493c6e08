package jmirage.pinata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Result;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/** The statistics value: counting, its stored form, and what a damaged stored form does. */
class StatsTest {

    @Provide
    Arbitrary<List<Tuple.Tuple3<Integer, Role, String>>> events() {
        return Arbitraries.integers().between(0, 2)
                .flatMap(kind -> Arbitraries.of(Role.values()).flatMap(role -> Arbitraries.of(
                        "no-certificate", "certificate-expired", "sent-protocol_version", "received-bad_certificate")
                        .map(reason -> Tuple.of(kind, role, reason))))
                .list().ofMaxSize(200);
    }

    private static Stats apply(Stats s, Tuple.Tuple3<Integer, Role, String> e) {
        return switch (e.get1()) {
            case 0 -> s.connection(e.get2().port());
            case 1 -> s.success(e.get2());
            default -> s.failure(e.get2(), e.get3());
        };
    }

    @Property
    void theStoredFormReadsBackEqual(@ForAll("events") List<Tuple.Tuple3<Integer, Role, String>> events) {
        Stats s = Stats.EMPTY;
        for (var e : events) {
            s = apply(s, e);
        }
        assertEquals(Result.ok(s), Stats.decode(s.encode()));
    }

    @Property
    void everyEventCountsOnceWhereItBelongs(@ForAll("events") List<Tuple.Tuple3<Integer, Role, String>> events) {
        Stats s = Stats.EMPTY;
        for (var e : events) {
            s = apply(s, e);
        }
        for (Role role : Role.values()) {
            long failures = events.stream().filter(e -> e.get1() == 2 && e.get2() == role).count();
            long successes = events.stream().filter(e -> e.get1() == 1 && e.get2() == role).count();
            long connections = events.stream().filter(e -> e.get1() == 0 && e.get2() == role).count();
            assertEquals(failures, s.failures(role));
            assertEquals(successes, s.successes(role));
            assertEquals(connections, s.connections(role.port()));
        }
    }

    @Test
    void aDamagedStoredFormIsAnErrorNamingTheLine() {
        assertEquals(Result.err(new StatsError.UnparsableLine(2, "success NOBODY 1")),
                Stats.decode(Bytes.utf8("connections 10000 3\nsuccess NOBODY 1\n")));
        assertEquals("line 2 does not parse: success NOBODY 1", new StatsError.UnparsableLine(2, "success NOBODY 1").describe());
        assertTrue(Stats.decode(Bytes.utf8("connections 10000 -1\n")) instanceof Result.Err);
        assertTrue(Stats.decode(Bytes.utf8("failure SERVER 3\n")) instanceof Result.Err);
        assertTrue(Stats.decode(Bytes.of((byte) 0xff, (byte) 0xfe)) instanceof Result.Err);
    }

    @Test
    void oddReasonsCannotGrowTheMapForever() {
        Stats s = Stats.EMPTY;
        for (int i = 0; i < 1000; i++) {
            s = s.failure(Role.SERVER, "received-alert" + i);
        }
        assertEquals(Stats.MAX_REASONS + 1, s.failures().get(Role.SERVER).size());
        assertEquals(1000, s.failures(Role.SERVER));
    }

    @Test
    void thePageEscapesWhatItShows() {
        assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;&#39;", Page.escape("<a href=\"x\">&'"));
        String html = Page.render("<b>", TestPki.ca(), Stats.EMPTY.failure(Role.SERVER, "x<y"), java.time.Instant.EPOCH,
                java.time.Instant.EPOCH, false);
        assertTrue(html.contains("&lt;b&gt;") && html.contains("x&lt;y") && !html.contains("<b>"));
    }
}
