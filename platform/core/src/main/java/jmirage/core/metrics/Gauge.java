package jmirage.core.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A gauge with labels, set by the service: {@code gauge.labels("eth0").set(3)}. A gauge read at
 * scrape time instead is {@link Metrics#gauge(String, String, java.util.function.DoubleSupplier)}.
 * Used on the unikernel's loop only.
 */
public final class Gauge {

    private final String name;
    private final String help;
    private final List<String> labelNames;
    private final Map<List<String>, Series> series = new LinkedHashMap<>();

    Gauge(String name, String help, List<String> labelNames) {
        MetricNames.checkMetricName(name, MetricType.GAUGE);
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

    /** Sets the series of a gauge without labels. */
    public void set(double value) {
        labels().set(value);
    }

    List<String> labelNames() {
        return labelNames;
    }

    MetricFamily collect() {
        List<Sample> samples = new ArrayList<>(series.size());
        series.forEach((values, s) -> samples.add(new Sample(Metrics.labels(labelNames, values), s.value)));
        return new MetricFamily(name, help, MetricType.GAUGE, samples);
    }

    /** One series of the gauge. */
    public static final class Series {
        private double value;

        private Series() {}

        public void set(double newValue) {
            value = newValue;
        }

        public void add(double delta) {
            value += delta;
        }

        public double value() {
            return value;
        }
    }
}
