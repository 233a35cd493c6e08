package jmirage.core.metrics;

import java.util.List;

/** One time series' current value, with its labels in the order the family declared them. */
public record Sample(List<Label> labels, double value) {

    public Sample {
        labels = List.copyOf(labels);
    }
}
