package jmirage.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import jmirage.core.metrics.ExpositionReader.ReadFamily;
import jmirage.core.metrics.ExpositionReader.ReadSample;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void rendersHelpTypeAndOneLinePerSeriesInRegistrationOrder() {
        Metrics metrics = new Metrics();
        Counter queries = metrics.counter("dns_queries_total", "Queries answered, by rcode.", "protocol", "rcode");
        queries.labels("udp", "NOERROR").inc(3);
        queries.labels("tcp", "NXDOMAIN").inc();
        metrics.gauge("leases_bound", "Leases bound now.").set(12);
        metrics.gauge("uptime_seconds", "Seconds since boot.", () -> 1.5);

        assertEquals("""
                # HELP dns_queries_total Queries answered, by rcode.
                # TYPE dns_queries_total counter
                dns_queries_total{protocol="udp",rcode="NOERROR"} 3
                dns_queries_total{protocol="tcp",rcode="NXDOMAIN"} 1
                # HELP leases_bound Leases bound now.
                # TYPE leases_bound gauge
                leases_bound 12
                # HELP uptime_seconds Seconds since boot.
                # TYPE uptime_seconds gauge
                uptime_seconds 1.5
                """, PrometheusText.render(metrics.collect()));
    }

    @Test
    void aCounterWithoutLabelsShowsZeroBeforeItsFirstIncrement() {
        Metrics metrics = new Metrics();
        metrics.counter("frames_total", "Frames.");
        assertEquals("# HELP frames_total Frames.\n# TYPE frames_total counter\nframes_total 0\n",
                PrometheusText.render(metrics.collect()));
    }

    @Test
    void escapesBackslashQuoteAndLineFeedInLabelValuesAndBackslashLineFeedInHelp() {
        assertEquals("a\\\\b\\\"c\\nd", PrometheusText.escapeLabelValue("a\\b\"c\nd"));
        assertEquals("say \"hi\"\\nthen \\\\", PrometheusText.escapeHelp("say \"hi\"\nthen \\"));
    }

    @Test
    void valuesAreWholeNumbersInfinitiesAndNaNAsTheFormatSpellsThem() {
        assertEquals("0", PrometheusText.formatValue(0));
        assertEquals("9007199254740991", PrometheusText.formatValue(9007199254740991.0));
        assertEquals("0.25", PrometheusText.formatValue(0.25));
        assertEquals("1700000000.5", PrometheusText.formatValue(1_700_000_000.5));
        assertEquals("-0.001", PrometheusText.formatValue(-0.001));
        assertEquals("1.0E-9", PrometheusText.formatValue(1e-9));
        assertEquals("1.0E20", PrometheusText.formatValue(1e20));
        assertEquals("+Inf", PrometheusText.formatValue(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", PrometheusText.formatValue(Double.NEGATIVE_INFINITY));
        assertEquals("NaN", PrometheusText.formatValue(Double.NaN));
    }

    @Test
    void namesOutsideTheFormatAreRefusedAtRegistration() {
        Metrics metrics = new Metrics();
        assertThrows(IllegalArgumentException.class, () -> metrics.counter("queries", "no _total"));
        assertThrows(IllegalArgumentException.class, () -> metrics.counter("9lives_total", "leading digit"));
        assertThrows(IllegalArgumentException.class, () -> metrics.gauge("a-b", "dash"));
        assertThrows(IllegalArgumentException.class, () -> metrics.counter("x_total", "h", "__reserved"));
        assertThrows(IllegalArgumentException.class, () -> metrics.counter("x_total", "h", "le:x"));
        assertThrows(IllegalArgumentException.class, () -> metrics.counter("x_total", "h", "a", "a"));
        assertEquals(true, MetricNames.isMetricName("jmirage:echo_bytes_total"));
    }

    @Test
    void registeringTheSameCounterAgainReturnsItAndAnotherShapeIsRefused() {
        Metrics metrics = new Metrics();
        Counter first = metrics.counter("x_total", "h", "a");
        first.labels("1").inc();
        assertEquals(1, metrics.counter("x_total", "h", "a").labels("1").value());
        assertThrows(IllegalArgumentException.class, () -> metrics.counter("x_total", "h", "b"));
        assertThrows(IllegalArgumentException.class, () -> metrics.gauge("x_total", "h", "a"));
        metrics.gauge("reading", "h", () -> 1);
        assertThrows(IllegalArgumentException.class, () -> metrics.gauge("reading", "h", () -> 2));
    }

    @Test
    void labelsMustMatchTheDeclaredNamesAndCountersOnlyGoUp() {
        Counter counter = new Metrics().counter("x_total", "h", "a", "b");
        assertThrows(IllegalArgumentException.class, () -> counter.labels("only one"));
        assertThrows(IllegalArgumentException.class, () -> counter.labels("1", "2").inc(-1));
    }

    @Test
    void aGaugeReadingIsTakenAtEachScrape() {
        Metrics metrics = new Metrics();
        double[] now = {1};
        metrics.gauge("open_flows", "Flows.", () -> now[0]);
        assertEquals(1.0, metrics.collect().getFirst().samples().getFirst().value());
        now[0] = 7;
        assertEquals(7.0, metrics.collect().getFirst().samples().getFirst().value());
    }

    @Test
    void aLabelledGaugeReadingGivesOneSeriesPerKeyAtEachScrape() {
        Metrics metrics = new Metrics();
        Map<List<String>, Double> now = new java.util.LinkedHashMap<>();
        metrics.gauge("leases", "Leases.", List.of("subnet", "state"), () -> now);
        assertEquals(List.of(), metrics.collect().getFirst().samples());
        now.put(List.of("10.0.0.0/24", "bound"), 3.0);
        now.put(List.of("10.0.1.0/24", "bound"), 0.0);
        assertEquals(List.of(new Sample(List.of(new Label("subnet", "10.0.0.0/24"), new Label("state", "bound")), 3.0),
                new Sample(List.of(new Label("subnet", "10.0.1.0/24"), new Label("state", "bound")), 0.0)),
                metrics.collect().getFirst().samples());
        now.put(List.of("one label"), 1.0);
        assertThrows(IllegalArgumentException.class, metrics::collect);
        assertThrows(IllegalArgumentException.class, () -> metrics.gauge("leases", "h", List.of("subnet", "state"), Map::of));
    }

    @Test
    void aCounterReadingIsACounterReadAtEachScrape() {
        Metrics metrics = new Metrics();
        long[] hits = {2};
        metrics.counter("cache_total", "Lookups.", List.of("result"), () -> Map.of(List.of("hit"), hits[0]));
        assertEquals("# HELP cache_total Lookups.\n# TYPE cache_total counter\ncache_total{result=\"hit\"} 2\n",
                PrometheusText.render(metrics.collect()));
        hits[0] = 5;
        assertEquals(5.0, metrics.collect().getFirst().samples().getFirst().value());
        assertThrows(IllegalArgumentException.class, () -> metrics.counter("cache", "h", List.of(), Map::of), "a counter's name ends in _total");
        assertThrows(IllegalArgumentException.class, () -> metrics.counter("cache_total", "h", List.of("result"), Map::of));
    }

    /** Any well-formed label value and help text, through UTF-8 bytes, reads back unchanged. */
    @Property(tries = 500)
    void anyLabelValueAndHelpRoundTrip(@ForAll @StringLength(max = 40) String value, @ForAll @StringLength(max = 40) String help) {
        Assume.that(wellFormed(value) && wellFormed(help));
        Metrics metrics = new Metrics();
        metrics.counter("x_total", help, "v", "w").labels(value, "second").inc(2);

        byte[] wire = PrometheusText.render(metrics.collect()).getBytes(StandardCharsets.UTF_8);
        List<ReadFamily> read = ExpositionReader.read(new String(wire, StandardCharsets.UTF_8));

        assertEquals(List.of(new ReadFamily("x_total", help, "counter",
                List.of(new ReadSample("x_total", Map.of("v", value, "w", "second"), "2")))), read);
    }

    private static boolean wellFormed(String s) {
        return s.equals(new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }
}
