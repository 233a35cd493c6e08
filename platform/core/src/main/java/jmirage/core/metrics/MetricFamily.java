package jmirage.core.metrics;

import java.util.List;
import java.util.Objects;

/**
 * A metric as scraped: its name, help text, type and current samples. The name is checked here, so
 * the renderer only ever sees names the exposition format allows.
 */
public record MetricFamily(String name, String help, MetricType type, List<Sample> samples) {

    public MetricFamily {
        MetricNames.checkMetricName(name, type);
        Objects.requireNonNull(help);
        Objects.requireNonNull(type);
        samples = List.copyOf(samples);
    }
}
