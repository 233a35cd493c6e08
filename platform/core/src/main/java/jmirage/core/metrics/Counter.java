package jmirage.core.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A counter with labels: {@code counter.labels("udp", "NOERROR").inc()}. Each combination of label
 * values is a series, created (at zero) the first time it is named; a counter without labels has
 * its one series from the start. Used on the unikernel's loop only, like every device: no locks.
 */
public final class Counter {

    private final String name;
    private final String help;
    private final List<String> labelNames;
    private final Map<List<String>, Series> series = new LinkedHashMap<>();

    Counter(String name, String help, List<String> labelNames) {
        MetricNames.checkMetricName(name, MetricType.COUNTER);
        this.name = name;
        this.help = help;
        this.labelNames = labelNames;
        if (labelNames.isEmpty()) {
            labels();
        }
    }

    /** The series for these label values, one per label name, in the order they were declared. */
    public Series labels(String... values) {
        List<String> key = List.of(values);
        if (key.size() != labelNames.size()) {
            throw new IllegalArgumentException(name + " has labels " + labelNames + ", given " + key);
        }
        return series.computeIfAbsent(key, k -> new Series());
    }

    /** Adds one to the series of a counter without labels. */
    public void inc() {
        labels().inc();
    }

    /** Adds {@code n} to the series of a counter without labels. */
    public void inc(long n) {
        labels().inc(n);
    }

    List<String> labelNames() {
        return labelNames;
    }

    MetricFamily collect() {
        List<Sample> samples = new ArrayList<>(series.size());
        series.forEach((values, s) -> samples.add(new Sample(Metrics.labels(labelNames, values), s.value)));
        return new MetricFamily(name, help, MetricType.COUNTER, samples);
    }

    /** One series of the counter. */
    public static final class Series {
        private long value;

        private Series() {}

        public void inc() {
            value++;
        }

        /** Adds {@code n}, which may be zero and must not be negative: a counter only goes up. */
        public void inc(long n) {
            if (n < 0) {
                throw new IllegalArgumentException("a counter only goes up: inc(" + n + ")");
            }
            value += n;
        }

        public long value() {
            return value;
        }
    }
}
