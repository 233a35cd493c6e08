package jmirage.core.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * What a {@link Counter} and a {@link Gauge} share: the series of one metric by their label values,
 * each created the first time it is named (a metric without labels has its one series from the
 * start), and their samples at scrape time. Used on the unikernel's loop only: no locks.
 *
 * @param <S> the metric's series type ({@code Counter.Series}, {@code Gauge.Series})
 */
final class LabelledSeries<S> {

    private final String name;
    private final String help;
    private final MetricType type;
    private final List<String> labelNames;
    private final Supplier<S> newSeries;
    private final ToDoubleFunction<S> valueOf;
    private final Map<List<String>, S> series = new LinkedHashMap<>();
    /** A metric without labels: its one series, without a lookup (counters of every packet use it). */
    private S unlabelled;

    LabelledSeries(String name, String help, MetricType type, List<String> labelNames, Supplier<S> newSeries, ToDoubleFunction<S> valueOf) {
        MetricNames.checkMetricName(name, type);
        this.name = name;
        this.help = help;
        this.type = type;
        this.labelNames = labelNames;
        this.newSeries = newSeries;
        this.valueOf = valueOf;
        if (labelNames.isEmpty()) {
            unlabelled = labels();
        }
    }

    /** The series for these label values, one per label name, in the order they were declared. */
    S labels(String... values) {
        if (values.length == 0 && unlabelled != null) {
            return unlabelled;
        }
        List<String> key = List.of(values);
        if (key.size() != labelNames.size()) {
            throw new IllegalArgumentException(name + " has labels " + labelNames + ", given " + key);
        }
        return series.computeIfAbsent(key, k -> newSeries.get());
    }

    List<String> labelNames() {
        return labelNames;
    }

    MetricFamily collect() {
        List<Sample> samples = new ArrayList<>(series.size());
        series.forEach((values, s) -> samples.add(new Sample(Metrics.labels(labelNames, values), valueOf.applyAsDouble(s))));
        return new MetricFamily(name, help, type, samples);
    }
}
