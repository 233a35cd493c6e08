package jmirage.core.metrics;

import java.util.List;

/**
 * A counter with labels: {@code counter.labels("udp", "NOERROR").inc()}. Each combination of label
 * values is a series, created (at zero) the first time it is named; a counter without labels has
 * its one series from the start. Used on the unikernel's loop only, like every device: no locks.
 */
public final class Counter {

    private final LabelledSeries<Series> series;

    Counter(String name, String help, List<String> labelNames) {
        this.series = new LabelledSeries<>(name, help, MetricType.COUNTER, labelNames, Series::new, Series::value);
    }

    /** The series for these label values, one per label name, in the order they were declared. */
    public Series labels(String... values) {
        return series.labels(values);
    }

    /** Adds one to the series of a counter without labels. */
    public void inc() {
        labels().inc();
    }

    /** Adds {@code n} to the series of a counter without labels. */
    public void inc(long n) {
        labels().inc(n);
    }

    LabelledSeries<Series> series() {
        return series;
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
