package jmirage.core.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Metrics device: the unikernel's counters and gauges, claimed with
 * {@code DeviceProvider.metrics()}. Every target offers it (counting is cheap); the launcher serves
 * it in the Prometheus text format only with {@code --metrics}. Registration, counting and
 * {@link #collect} all run on the unikernel's loop, so nothing here locks.
 *
 * <p>Registering a counter or gauge again with the same name, type and label names returns the one
 * already there (a service restarted in the same process keeps counting); anything else under a
 * name already taken (another type, other labels, a second gauge reading) is a bug.
 */
public final class Metrics {

    /** A registered metric (a Counter, a Gauge, a reading) and how to collect it. */
    private record Registration(Object metric, Supplier<MetricFamily> collector) {}

    private final Map<String, Registration> registered = new LinkedHashMap<>();

    /** A counter; its name ends in {@code _total}. */
    public Counter counter(String name, String help, String... labelNames) {
        return registerOrReuse(name, Counter.class, MetricNames.checkLabelNames(labelNames),
                labels -> new Counter(name, help, labels), Counter::series);
    }

    /** A gauge the service sets. */
    public Gauge gauge(String name, String help, String... labelNames) {
        return registerOrReuse(name, Gauge.class, MetricNames.checkLabelNames(labelNames),
                labels -> new Gauge(name, help, labels), Gauge::series);
    }

    /** The metric of this type and labels already under {@code name}, or a new one registered there. */
    private <M> M registerOrReuse(String name, Class<M> type, List<String> labels, Function<List<String>, M> create,
            Function<M, LabelledSeries<?>> seriesOf) {
        if (registered.get(name) instanceof Registration(Object existing, var _) && type.isInstance(existing)
                && seriesOf.apply(type.cast(existing)).labelNames().equals(labels)) {
            return type.cast(existing);
        }
        M metric = create.apply(labels);
        register(name, metric, seriesOf.apply(metric)::collect);
        return metric;
    }

    /** A gauge without labels whose value is read from {@code reading} at each scrape, on the loop. */
    public void gauge(String name, String help, DoubleSupplier reading) {
        MetricNames.checkMetricName(name, MetricType.GAUGE);
        Objects.requireNonNull(reading);
        register(name, reading, () -> new MetricFamily(name, help, MetricType.GAUGE,
                List.of(new Sample(List.of(), reading.getAsDouble()))));
    }

    /**
     * A gauge with labels whose series are read from {@code readings} at each scrape, on the loop:
     * each key is one series' label values, in the order of {@code labelNames}. For values the
     * service can compute but does not keep (the live leases of each subnet): no series goes stale.
     */
    public void gauge(String name, String help, List<String> labelNames, Supplier<Map<List<String>, Double>> readings) {
        readEachScrape(name, help, MetricType.GAUGE, labelNames, readings);
    }

    /**
     * A counter with labels whose series are read from {@code readings} at each scrape, on the loop:
     * for counts a core keeps itself (a cache's hits and misses), each key one series' label values
     * in the order of {@code labelNames}. The readings must only go up.
     */
    public void counter(String name, String help, List<String> labelNames, Supplier<Map<List<String>, Long>> readings) {
        readEachScrape(name, help, MetricType.COUNTER, labelNames, readings);
    }

    /** A family of {@code type} whose series are read from {@code readings} at each scrape. */
    private void readEachScrape(String name, String help, MetricType type, List<String> labelNames,
            Supplier<? extends Map<List<String>, ? extends Number>> readings) {
        MetricNames.checkMetricName(name, type);
        List<String> labels = MetricNames.checkLabelNames(labelNames.toArray(String[]::new));
        Objects.requireNonNull(readings);
        register(name, readings, () -> {
            List<Sample> samples = new ArrayList<>();
            readings.get().forEach((values, value) -> {
                if (values.size() != labels.size()) {
                    throw new IllegalArgumentException(name + " has labels " + labels + ", read " + values);
                }
                samples.add(new Sample(labels(labels, values), value.doubleValue()));
            });
            return new MetricFamily(name, help, type, samples);
        });
    }

    /** Every metric's current samples, in the order they were registered. */
    public List<MetricFamily> collect() {
        List<MetricFamily> collected = new ArrayList<>(registered.size());
        registered.values().forEach(r -> collected.add(r.collector().get()));
        return collected;
    }

    private void register(String name, Object metric, Supplier<MetricFamily> collector) {
        Objects.requireNonNull(name);
        if (registered.containsKey(name)) {
            throw new IllegalArgumentException("metric " + name + " is already registered with another type or labels");
        }
        registered.put(name, new Registration(metric, collector));
    }

    static List<Label> labels(List<String> names, List<String> values) {
        List<Label> labels = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            labels.add(new Label(names.get(i), values.get(i)));
        }
        return labels;
    }
}
