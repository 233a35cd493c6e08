package jmirage.caldav.shell;

import java.util.List;
import java.util.function.Supplier;
import jmirage.caldav.store.Collection;
import jmirage.caldav.store.Home;
import jmirage.caldav.store.Store;
import jmirage.core.metrics.Counter;
import jmirage.core.metrics.Metrics;

/**
 * What the server counts for the metrics endpoint (names in the README): requests by method and
 * status class, refused logins by reason, commits and the time they took, and the size of the store
 * read at scrape time. On the loop only.
 */
final class CalDavMetrics {

    /** Methods counted by name; any other is {@code other}, so a scanner cannot make series without end. */
    static final List<String> METHODS = List.of("OPTIONS", "GET", "HEAD", "PUT", "DELETE", "PROPFIND", "PROPPATCH", "MKCOL",
            "MKCALENDAR", "REPORT", "COPY", "MOVE");

    private final Counter requests;
    private final Counter authFailures;
    private final Counter commits;
    private final Counter commitMicros;

    CalDavMetrics(Metrics metrics, Supplier<Store> store) {
        requests = metrics.counter("jmirage_caldav_requests_total", "Requests answered, by method and status class.", "method", "status");
        authFailures = metrics.counter("jmirage_caldav_auth_failures_total",
                "Requests refused for their credentials: wrong (a wrong password or an unknown user) or rate_limited.", "reason");
        commits = metrics.counter("jmirage_caldav_commits_total", "Changes committed to the store, by result (ok, failed).", "result");
        commitMicros = metrics.counter("jmirage_caldav_commit_microseconds_total",
                "Time spent committing changes to the store; divided by jmirage_caldav_commits_total, the mean commit latency.");
        metrics.gauge("jmirage_caldav_calendars", "Calendar collections in the store.",
                () -> store.get().homes().values().stream().mapToInt(h -> h.calendars().size()).sum());
        metrics.gauge("jmirage_caldav_objects", "Calendar object resources (events, todos, journals) in the store.",
                () -> objects(store.get()));
        metrics.gauge("jmirage_caldav_users", "Users in htpasswd.", () -> store.get().users().names().size());
        authFailures.labels("wrong");
        authFailures.labels("rate_limited");
        commits.labels("ok");
        commits.labels("failed");
    }

    private static long objects(Store store) {
        long n = 0;
        for (Home home : store.homes().values()) {
            for (Collection c : home.calendars().values()) {
                n += c.members().size();
            }
        }
        return n;
    }

    void request(String method, int status) {
        requests.labels(METHODS.contains(method) ? method : "other", status / 100 + "xx").inc();
    }

    void wrongPassword() {
        authFailures.labels("wrong").inc();
    }

    void rateLimited() {
        authFailures.labels("rate_limited").inc();
    }

    void commit(boolean ok, long nanos) {
        commits.labels(ok ? "ok" : "failed").inc();
        commitMicros.inc(nanos / 1000);
    }
}
