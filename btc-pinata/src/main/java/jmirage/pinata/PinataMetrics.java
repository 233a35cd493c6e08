package jmirage.pinata;

import java.util.List;
import jmirage.core.metrics.Counter;
import jmirage.core.metrics.Metrics;

/**
 * What the pinata counts for the metrics endpoint (the names are in the README): the statistics
 * page's counts since boot, by port, plus the handshakes that finished and the page's requests.
 * Unlike the statistics, these start from zero at each boot, as Prometheus counters do. On the
 * loop only.
 */
final class PinataMetrics {

    /** The page's paths; any other is counted as {@code other}, so a scanner cannot make series without end. */
    static final List<String> PAGES = List.of("/", "/ca.pem", "/stats");

    private final Counter connections;
    private final Counter handshakesCompleted;
    private final Counter failures;
    private final Counter secretsSent;
    private final Counter pageRequests;

    PinataMetrics(Metrics metrics) {
        connections = metrics.counter("jmirage_pinata_connections_total", "Connections accepted on a role's port.", "port");
        handshakesCompleted = metrics.counter("jmirage_pinata_handshakes_completed_total",
                "TLS handshakes that finished on a role's port (the peer's chain validated); the secret still needs a Winner.", "port");
        failures = metrics.counter("jmirage_pinata_attempts_failed_total",
                "Attempts that did not get the secret, by port and by the statistics page's reason.", "port", "reason");
        secretsSent = metrics.counter("jmirage_pinata_secrets_sent_total", "Secrets sent to a verified peer.", "port");
        pageRequests = metrics.counter("jmirage_pinata_page_requests_total", "Requests to the page (HTTP and HTTPS), by path.", "path");
        for (Role role : Role.values()) {
            String port = Integer.toString(role.port());
            connections.labels(port);
            handshakesCompleted.labels(port);
            secretsSent.labels(port);
        }
        PAGES.forEach(pageRequests::labels);
        pageRequests.labels("other");
    }

    void connection(Role role) {
        connections.labels(Integer.toString(role.port())).inc();
    }

    void handshakeCompleted(Role role) {
        handshakesCompleted.labels(Integer.toString(role.port())).inc();
    }

    void failure(Role role, String reason) {
        failures.labels(Integer.toString(role.port()), reason).inc();
    }

    void secretSent(Role role) {
        secretsSent.labels(Integer.toString(role.port())).inc();
    }

    void pageRequest(String path) {
        pageRequests.labels(PAGES.contains(path) ? path : "other").inc();
    }
}
