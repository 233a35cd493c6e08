package jmirage.examples.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import jmirage.core.LogRecord;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.sim.Simulation;
import org.junit.jupiter.api.Test;

class SpeakingClockSimulationTest {

    private static List<LogRecord> anHourOf(long seed, Instant start) {
        Simulation sim = new Simulation(seed, start);
        SpeakingClock clock = new SpeakingClock();
        Result<Unikernel.Running, String> booted = sim.boot(clock, clock.parameters(), null);
        assertTrue(booted.isOk(), booted.toString());
        sim.scheduler().runFor(Duration.ofHours(1));
        return sim.records();
    }

    @Test
    void anHourOfVirtualTimeTakesUnderASecondAndSaysEverySecond() {
        long began = System.nanoTime();
        List<LogRecord> records = anHourOf(42, Instant.parse("2026-11-28T10:00:00.250Z"));
        Duration took = Duration.ofNanos(System.nanoTime() - began);

        assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "took " + took);
        assertEquals(3600, records.size());
        assertEquals("2026-11-28T10:00:01Z", records.getFirst().message());
        assertEquals("2026-11-28T11:00:00Z", records.getLast().message());
        for (int i = 0; i < records.size(); i++) {
            Instant said = Instant.parse(records.get(i).message());
            assertEquals(Instant.parse("2026-11-28T10:00:01Z").plusSeconds(i), said);
            assertEquals(said, records.get(i).time(), "each tick lands on the whole second");
        }
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        Instant start = Instant.parse("2026-11-28T10:00:00.999Z");
        assertEquals(anHourOf(7, start), anHourOf(7, start));
    }

    @Test
    void stopCancelsTheTicks() {
        Simulation sim = new Simulation(1);
        SpeakingClock clock = new SpeakingClock();
        Unikernel.Running running = sim.boot(clock, clock.parameters(), null).orElseThrow();
        sim.scheduler().runFor(Duration.ofSeconds(10));
        assertTrue(running.stop().isResolved());
        sim.scheduler().runFor(Duration.ofSeconds(10));
        assertEquals(10, sim.records().size());
    }
}
