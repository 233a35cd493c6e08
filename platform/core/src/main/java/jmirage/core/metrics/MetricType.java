package jmirage.core.metrics;

/** The metric types this platform exposes, as the text format names them after {@code # TYPE}. */
public enum MetricType {
    /** Only goes up (from zero, at boot); its name ends in {@code _total}. */
    COUNTER("counter"),
    /** Any value, set or read at scrape time. */
    GAUGE("gauge");

    private final String text;

    MetricType(String text) {
        this.text = text;
    }

    /** The word after {@code # TYPE NAME}. */
    public String text() {
        return text;
    }
}
