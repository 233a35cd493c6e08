package jmirage.core.metrics;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The names the Prometheus text exposition format (0.0.4) allows. A bad name is a bug in the code
 * that registers it, not an input from the network: it throws {@link IllegalArgumentException} at
 * registration, so it fails the first test that boots the unikernel.
 */
public final class MetricNames {

    /** Metric names, from the exposition format's data model. */
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    /** Label names; those beginning with {@code __} are reserved for Prometheus itself. */
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private MetricNames() {}

    public static boolean isMetricName(String name) {
        return METRIC_NAME.matcher(name).matches();
    }

    public static boolean isLabelName(String name) {
        return LABEL_NAME.matcher(name).matches() && !name.startsWith("__");
    }

    /** A valid metric name for {@code type}: a counter's ends in {@code _total} (the naming convention). */
    static void checkMetricName(String name, MetricType type) {
        if (!isMetricName(name)) {
            throw new IllegalArgumentException("not a metric name (" + METRIC_NAME.pattern() + "): " + name);
        }
        if (type == MetricType.COUNTER && !name.endsWith("_total")) {
            throw new IllegalArgumentException("a counter's name ends in _total: " + name);
        }
    }

    static void checkLabelName(String name) {
        if (!isLabelName(name)) {
            throw new IllegalArgumentException("not a label name (" + LABEL_NAME.pattern() + ", no leading __): " + name);
        }
    }

    static List<String> checkLabelNames(String... names) {
        List<String> list = List.of(names);
        list.forEach(MetricNames::checkLabelName);
        if (list.stream().distinct().count() != list.size()) {
            throw new IllegalArgumentException("label names repeat: " + list);
        }
        return list;
    }
}
