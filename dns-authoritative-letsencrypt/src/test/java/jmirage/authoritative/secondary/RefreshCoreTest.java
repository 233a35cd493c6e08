package jmirage.authoritative.secondary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class RefreshCoreTest {

    static final Rdata.Soa SOA = new Rdata.Soa(Name.of("ns.example."), Name.of("h.example."), 1, 3600, 600, 86400, 60);
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void refreshAfterSuccessRetryAfterFailureExpireAfterExpire() {
        RefreshCore.State s = RefreshCore.start(Optional.empty(), Optional.empty(), T0);
        assertTrue(RefreshCore.due(s, T0), "a check at boot");
        s = RefreshCore.checking(s);
        assertFalse(RefreshCore.due(s, T0.plusSeconds(100000)), "never two checks at once");
        s = RefreshCore.succeeded(s, SOA, T0.plusSeconds(1));
        assertEquals(T0.plusSeconds(3601), s.nextCheck());
        s = RefreshCore.failed(RefreshCore.checking(s), T0.plusSeconds(3601));
        assertEquals(T0.plusSeconds(4201), s.nextCheck());
        assertFalse(s.expired());
        s = RefreshCore.failed(RefreshCore.checking(s), T0.plusSeconds(86401));
        assertTrue(s.expired(), "86400 s after the last good check");
        s = RefreshCore.succeeded(RefreshCore.checking(s), SOA, T0.plusSeconds(90000));
        assertFalse(s.expired());
    }

    @Test
    void aStoredCopyCountsFromWhenItWasStored() {
        RefreshCore.State fresh = RefreshCore.start(Optional.of(SOA), Optional.of(T0.minusSeconds(100)), T0);
        assertEquals(Optional.of(T0.minusSeconds(100)), fresh.lastSuccess());
        assertFalse(fresh.expired());
        assertTrue(RefreshCore.due(fresh, T0), "checked at boot all the same");
        RefreshCore.State stale = RefreshCore.start(Optional.of(SOA), Optional.of(T0.minusSeconds(86400)), T0);
        assertTrue(stale.expired(), "stored longer ago than EXPIRE");
        RefreshCore.State unknown = RefreshCore.start(Optional.of(SOA), Optional.empty(), T0);
        assertEquals(Optional.of(T0), unknown.lastSuccess());
        assertFalse(unknown.expired());
    }

    @Test
    void aNotifyDuringACheckMakesAnotherRightAfter() {
        RefreshCore.State s = RefreshCore.checking(RefreshCore.start(Optional.of(SOA), Optional.empty(), T0));
        s = RefreshCore.notified(s, T0.plusSeconds(1));
        s = RefreshCore.succeeded(s, SOA, T0.plusSeconds(2));
        assertTrue(RefreshCore.due(s, T0.plusSeconds(2)));
    }

    sealed interface Event {
        record Tick(int seconds) implements Event {}

        record Succeed() implements Event {}

        record Fail() implements Event {}

        record Notify() implements Event {}
    }

    @Provide
    Arbitrary<List<Event>> events() {
        Arbitrary<Event> e = Arbitraries.oneOf(
                Arbitraries.integers().between(1, 50000).map(Event.Tick::new),
                Arbitraries.just(new Event.Succeed()), Arbitraries.just(new Event.Fail()), Arbitraries.just(new Event.Notify()));
        return e.list().ofMaxSize(60);
    }

    @Property(tries = 500)
    void timersFollowTheSoa(@ForAll("events") List<Event> events) {
        Instant now = T0;
        RefreshCore.State s = RefreshCore.start(Optional.empty(), Optional.empty(), now);
        for (Event e : events) {
            if (RefreshCore.due(s, now)) {
                s = RefreshCore.checking(s);
            }
            switch (e) {
                case Event.Tick t -> now = now.plusSeconds(t.seconds());
                case Event.Notify n -> {
                    s = RefreshCore.notified(s, now);
                    assertTrue(s.inFlight() || RefreshCore.due(s, now), "a notify makes a check due now");
                }
                case Event.Succeed ok -> {
                    if (s.inFlight()) {
                        boolean again = s.notifiedWhileChecking();
                        s = RefreshCore.succeeded(s, SOA, now);
                        assertEquals(again ? now : now.plusSeconds(SOA.refresh()), s.nextCheck());
                        assertFalse(s.expired());
                    }
                }
                case Event.Fail f -> {
                    if (s.inFlight()) {
                        Optional<Instant> last = s.lastSuccess();
                        s = RefreshCore.failed(s, now);
                        assertTrue(!s.nextCheck().isAfter(now.plusSeconds(s.soa().isPresent() ? SOA.retry() : 10)));
                        assertTrue(s.nextCheck().isAfter(now), "never a busy loop");
                        if (last.isPresent() && !now.isBefore(last.get().plusSeconds(SOA.expire()))) {
                            assertTrue(s.expired());
                        }
                        if (s.expired()) {
                            assertTrue(last.isPresent() && !now.isBefore(last.get().plusSeconds(SOA.expire())));
                        }
                    }
                }
            }
        }
    }
}
