package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jmirage.core.metrics.Counter;
import jmirage.core.metrics.Metrics;
import jmirage.core.metrics.PrometheusText;
import jmirage.launcher.PrometheusParser.ParsedSample;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.Tag;

/** platform/core's renderer read by the real parser (prometheus_client, Python): every label value comes back. */
@Tag("peer")
class PrometheusTextInteropTest {

    /** Each try renders a counter with one series per value and runs the parser once over all of them. */
    @Property(tries = 25)
    void anyLabelValueRoundTripsThroughThePythonParser(
            @ForAll @Size(min = 1, max = 20) List<@StringLength(max = 30) String> values) throws Exception {
        Assume.that(values.stream().allMatch(PrometheusTextInteropTest::wellFormed)
                && values.stream().distinct().count() == values.size());
        Metrics metrics = new Metrics();
        Counter counter = metrics.counter("interop_total", "Help with \\ and \"quotes\"\nover two lines.", "value", "index");
        for (int i = 0; i < values.size(); i++) {
            counter.labels(values.get(i), Integer.toString(i)).inc(i + 1);
        }

        List<ParsedSample> read = PrometheusParser.parse(PrometheusText.render(metrics.collect())).samples();

        List<ParsedSample> expected = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            // The Python client names a counter's family without _total; its samples keep it.
            expected.add(new ParsedSample("interop", "counter", "interop_total",
                    Map.of("index", Integer.toString(i), "value", values.get(i)), i + 1));
        }
        assertEquals(expected, read);
    }

    private static boolean wellFormed(String s) {
        return s.equals(new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }
}
