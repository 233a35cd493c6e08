package jmirage.core.metrics;

import java.math.BigDecimal;
import java.util.List;

/**
 * The Prometheus text exposition format, version 0.0.4: what {@code GET /metrics} answers. Pure:
 * metric families in, text out. Per family a {@code # HELP} and a {@code # TYPE} line, then one line
 * per sample, {@code name{label="value",...} value}. Label values escape backslash, double quote and
 * line feed; help texts escape backslash and line feed.
 */
public final class PrometheusText {

    /** The Content-Type of a response in this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {}

    public static String render(List<MetricFamily> families) {
        StringBuilder out = new StringBuilder();
        for (MetricFamily family : families) {
            out.append("# HELP ").append(family.name()).append(' ').append(escapeHelp(family.help())).append('\n');
            out.append("# TYPE ").append(family.name()).append(' ').append(family.type().text()).append('\n');
            for (Sample sample : family.samples()) {
                out.append(family.name());
                if (!sample.labels().isEmpty()) {
                    out.append('{');
                    for (int i = 0; i < sample.labels().size(); i++) {
                        Label label = sample.labels().get(i);
                        if (i > 0) {
                            out.append(',');
                        }
                        out.append(label.name()).append("=\"").append(escapeLabelValue(label.value())).append('"');
                    }
                    out.append('}');
                }
                out.append(' ').append(formatValue(sample.value())).append('\n');
            }
        }
        return out.toString();
    }

    /** A label value between double quotes: {@code \} as {@code \\}, {@code "} as {@code \"}, line feed as {@code \n}. */
    static String escapeLabelValue(String value) {
        return escape(value, true);
    }

    /** A help text: {@code \} as {@code \\} and line feed as {@code \n} (a double quote stays). */
    static String escapeHelp(String help) {
        return escape(help, false);
    }

    private static String escape(String text, boolean quote) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '"' -> out.append(quote ? "\\\"" : "\"");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * A sample value as Go's ParseFloat reads it: whole numbers without a fraction (counts stay
     * exact up to 2^53), other values in plain decimals when that is short (a Unix time with its
     * fraction), else with an exponent; {@code +Inf}, {@code -Inf} and {@code NaN} as the format
     * spells them.
     */
    static String formatValue(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 0x1p53) {
            return Long.toString((long) value);
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 1e-4 && magnitude < 1e16) {
            return new BigDecimal(Double.toString(value)).toPlainString();
        }
        return Double.toString(value);
    }
}
