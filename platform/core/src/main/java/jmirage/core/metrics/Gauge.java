package jmirage.core.metrics;

import java.util.List;

/**
 * A gauge with labels, set by the service: {@code gauge.labels("eth0").set(3)}. A gauge read at
 * scrape time instead is {@link Metrics#gauge(String, String, java.util.function.DoubleSupplier)}.
 * Used on the unikernel's loop only.
 */
public final class Gauge {

    private final LabelledSeries<Series> series;

    Gauge(String name, String help, List<String> labelNames) {
        this.series = new LabelledSeries<>(name, help, MetricType.GAUGE, labelNames, Series::new, Series::value);
    }

    /** The series for these label values, one per label name, in the order they were declared. */
    public Series labels(String... values) {
        return series.labels(values);
    }

    /** Sets the series of a gauge without labels. */
    public void set(double value) {
        labels().set(value);
    }

    LabelledSeries<Series> series() {
        return series;
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
