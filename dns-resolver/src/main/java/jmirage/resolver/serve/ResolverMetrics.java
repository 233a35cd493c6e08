package jmirage.resolver.serve;

import java.util.List;
import java.util.Locale;
import jmirage.core.Bytes;
import jmirage.core.metrics.Counter;
import jmirage.core.metrics.Metrics;
import jmirage.dns.Header;
import jmirage.dns.Rcode;
import jmirage.dns.server.QueryObserver;
import jmirage.dns.server.Request;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Security;

/**
 * The resolver's counters on the Metrics device (served in the Prometheus format with the
 * launcher's {@code --metrics}): queries by transport and RCODE (the header's 4 bits; "none" for
 * silence), refusals by reason, resolutions by DNSSEC status, validation failures (a bogus
 * resolution given to a CD client, or a SERVFAIL whose extended error is a DNSSEC one), stale answers
 * served. The core's own counts (cache, upstream) are {@code RecursiveCore}'s.
 */
public final class ResolverMetrics implements ResolverStats, QueryObserver {

    /**
     * RFC 8914 4: the info codes of a failed validation (unsupported DNSKEY algorithm or DS digest,
     * indeterminate, bogus, expired, not yet valid, DNSKEY missing, RRSIGs missing, no zone key
     * bit, NSEC missing, unsupported NSEC3 iterations).
     */
    private static final java.util.Set<Integer> DNSSEC_ERRORS = java.util.Set.of(1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 27);

    /** The header's RCODE is 4 bits; this index is "none", silence. */
    private static final int NO_RCODE = 16;
    private static final List<String> SECURITY_LABELS = List.of("secure", "insecure", "bogus", "indeterminate");

    private final Counter queries;
    private final Counter.Series[][] queriesByTransport = new Counter.Series[Request.Transport.values().length][NO_RCODE + 1];
    private final Counter.Series[] resolutionsByStatus = new Counter.Series[SECURITY_LABELS.size()];
    private final Counter validationFailures;
    private final Counter refused;
    private final Counter resolutions;
    private final Counter stale;

    public ResolverMetrics(Metrics metrics) {
        queries = metrics.counter("jmirage_resolver_queries_total", "Client queries answered, by transport and RCODE.",
                "transport", "rcode");
        refused = metrics.counter("jmirage_resolver_refused_total",
                "Client queries refused before resolution, by reason (access: outside --allow; rate_limit).", "reason");
        resolutions = metrics.counter("jmirage_resolver_resolutions_total",
                "Resolutions by DNSSEC status (RFC 4035 4.3); bogus ones are validation failures.", "security");
        validationFailures = metrics.counter("jmirage_resolver_validation_failures_total",
                "Resolutions that failed DNSSEC validation (bogus), by RFC 8914 info code.", "ede");
        stale = metrics.counter("jmirage_resolver_stale_total", "Answers served stale (RFC 8767).");
    }

    @Override
    public void answered(Request request, List<Bytes> responses) {
        queries(request.transport(), responses).inc();
    }

    @Override
    public void answeredFromBytes(List<Bytes> responses) {
        queries(Request.Transport.UDP, responses).inc();
    }

    /** The series of a query's transport and RCODE, looked up by name once: this runs for every query. */
    private Counter.Series queries(Request.Transport transport, List<Bytes> responses) {
        int rcode = responses.isEmpty() || responses.getFirst().size() < 4 ? NO_RCODE : responses.getFirst().getUnsigned(3) & 0xf;
        Counter.Series[] byRcode = queriesByTransport[transport.ordinal()];
        Counter.Series series = byRcode[rcode];
        if (series == null) {
            series = queries.labels(transport.name().toLowerCase(Locale.ROOT), rcode == NO_RCODE ? "none" : Rcode.of(rcode).describe());
            byRcode[rcode] = series;
        }
        return series;
    }

    @Override
    public void refused(Refusal why) {
        refused.labels(why.name().toLowerCase(Locale.ROOT)).inc();
    }

    @Override
    public void resolved(Resolution resolution) {
        int status = switch (resolution.security()) {
            case Security.Secure s -> 0;
            case Security.Insecure i -> 1;
            case Security.Bogus b -> 2;
            case Security.Indeterminate i -> 3;
        };
        Counter.Series series = resolutionsByStatus[status];
        if (series == null) {
            series = resolutions.labels(SECURITY_LABELS.get(status));
            resolutionsByStatus[status] = series;
        }
        series.inc();
        if (resolution.security() instanceof Security.Bogus(int code, String reason)) {
            validationFailures.labels(Integer.toString(code)).inc();
        } else if (resolution.rcode() == Header.SERVFAIL && resolution.error().isPresent()
                && DNSSEC_ERRORS.contains(resolution.error().get().infoCode())) {
            validationFailures.labels(Integer.toString(resolution.error().get().infoCode())).inc();
        }
        if (resolution.stale()) {
            stale.inc();
        }
    }
}
