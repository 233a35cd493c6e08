package jmirage.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Registering a metric again: the same name, type and labels give the one already there; anything else is a bug. */
class MetricsRegistrationTest {

    @Test
    void theSameCounterOrGaugeIsReturnedAgainAndKeepsItsSeries() {
        Metrics metrics = new Metrics();
        Counter queries = metrics.counter("dns_queries_total", "queries", "protocol");
        queries.labels("udp").inc(3);
        assertSame(queries, metrics.counter("dns_queries_total", "queries", "protocol"));
        Gauge leases = metrics.gauge("leases", "leases held", "pool");
        leases.labels("lan").set(7);
        assertSame(leases, metrics.gauge("leases", "leases held", "pool"));
        assertEquals(List.of(new Sample(List.of(new Label("protocol", "udp")), 3)), metrics.collect().get(0).samples());
        assertEquals(List.of(new Sample(List.of(new Label("pool", "lan")), 7)), metrics.collect().get(1).samples());
    }

    @Test
    void anotherTypeOrOtherLabelsUnderATakenNameAreRefused() {
        Metrics metrics = new Metrics();
        metrics.counter("requests_total", "requests", "method");
        assertThrows(IllegalArgumentException.class, () -> metrics.counter("requests_total", "requests", "path"));
        metrics.gauge("connections", "open connections");
        assertThrows(IllegalArgumentException.class, () -> metrics.counter("connections", "open connections"));
        assertThrows(IllegalArgumentException.class, () -> metrics.gauge("connections", "open connections", "peer"));
    }
}
