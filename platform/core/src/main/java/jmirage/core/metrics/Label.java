package jmirage.core.metrics;

import java.util.Objects;

/** One label of a sample: a name checked by {@link MetricNames#checkLabelName}, and any value. */
public record Label(String name, String value) {

    public Label {
        MetricNames.checkLabelName(name);
        Objects.requireNonNull(value);
    }
}
