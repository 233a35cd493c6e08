package jmirage.canopy.shell;

import java.util.List;
import java.util.function.Supplier;
import jmirage.canopy.render.Site;
import jmirage.core.metrics.Counter;
import jmirage.core.metrics.Metrics;

/**
 * What the site counts for the metrics endpoint (names in the README): requests by method and
 * status class, webhook calls by outcome, refreshes by outcome and the time builds took, and the
 * current site's size and problems read at scrape time. On the loop only.
 */
final class CanopyMetrics {

    /** Methods counted by name; any other is {@code other}, so a scanner cannot make series without end. */
    static final List<String> METHODS = List.of("GET", "HEAD", "POST");
    static final List<String> WEBHOOK_OUTCOMES = List.of("accepted", "refused", "off");
    static final List<String> REFRESH_OUTCOMES = List.of("built", "unchanged", "pull_failed", "read_failed", "build_failed");

    private final Counter requests;
    private final Counter webhooks;
    private final Counter refreshes;
    private final Counter buildMicros;

    CanopyMetrics(Metrics metrics, Supplier<Site> site) {
        requests = metrics.counter("jmirage_canopy_requests_total", "Requests answered, by method and status class.", "method", "status");
        webhooks = metrics.counter("jmirage_canopy_webhooks_total",
                "Webhook calls: accepted (a refresh asked), refused (a wrong or missing signature), off (no secret configured).",
                "outcome");
        refreshes = metrics.counter("jmirage_canopy_refreshes_total",
                "Refreshes by outcome: built (a new site swapped in), unchanged, pull_failed, read_failed, build_failed.", "outcome");
        buildMicros = metrics.counter("jmirage_canopy_build_microseconds_total",
                "Time spent building sites off the loop; divided by refreshes built, the mean build time.");
        metrics.gauge("jmirage_canopy_resources", "Paths the current site serves.", () -> site.get().resources().size());
        metrics.gauge("jmirage_canopy_problems", "Problems of the current site (shown on /status).", () -> site.get().problems().size());
        WEBHOOK_OUTCOMES.forEach(webhooks::labels);
        REFRESH_OUTCOMES.forEach(refreshes::labels);
    }

    void request(String method, int status) {
        requests.labels(METHODS.contains(method) ? method : "other", status / 100 + "xx").inc();
    }

    void webhook(String outcome) {
        webhooks.labels(outcome).inc();
    }

    void refresh(String outcome) {
        refreshes.labels(outcome).inc();
    }

    void built(long nanos) {
        refreshes.labels("built").inc();
        buildMicros.inc(nanos / 1000);
    }
}
