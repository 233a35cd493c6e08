package jmirage.authoritative.server;

import java.util.List;
import java.util.Locale;
import jmirage.core.Bytes;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Result;
import jmirage.core.TokenBucket;
import jmirage.core.metrics.Counter;
import jmirage.core.metrics.Metrics;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Question;
import jmirage.dns.Rcode;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.server.QueryObserver;
import jmirage.dns.server.Request;

/**
 * The server's counters on the Metrics device and its query log (issue 14, item 7). Counters:
 * queries by transport and RCODE, updates, transfers and notifies by RCODE, TSIG failures by error
 * (RFC 8945 5.2: BADKEY, BADSIG, BADTIME), response rate limiting by action. The query log writes one
 * INFO line per request (source, transport, what it was, name, type, RCODE), at most
 * {@link #LOG_BURST} at once and {@link #LOG_PER_SECOND} a second after that; the next line after
 * some were left out says how many. The RCODE is the header's 4 bits (an EDNS extended RCODE such as
 * BADVERS counts as its low bits).
 */
public final class QueryAccounting implements QueryObserver {

    static final int LOG_BURST = 50;
    static final int LOG_PER_SECOND = 20;

    /** What a request asks for, as the core routes it (RFC 6895 2.2). */
    enum Kind { QUERY, TRANSFER, UPDATE, NOTIFY, OTHER }

    private final Clock clock;
    private final Log log;
    private final TokenBucket logLines = TokenBucket.perSecond(LOG_BURST, LOG_PER_SECOND);
    private final Counter queries;
    private final Counter updates;
    private final Counter transfers;
    private final Counter notifies;
    private final Counter tsigFailures;
    private final Counter rateLimited;

    public QueryAccounting(Metrics metrics, Clock clock, Log log) {
        this.clock = clock;
        this.log = log;
        queries = metrics.counter("jmirage_dns_queries_total", "Queries answered, by transport and RCODE.", "transport", "rcode");
        updates = metrics.counter("jmirage_dns_updates_total", "Dynamic updates (RFC 2136), by RCODE.", "rcode");
        transfers = metrics.counter("jmirage_dns_transfers_total", "Zone transfers asked for, by type and RCODE.", "type", "rcode");
        notifies = metrics.counter("jmirage_dns_notifies_total", "NOTIFY messages received (RFC 1996), by RCODE.", "rcode");
        tsigFailures = metrics.counter("jmirage_dns_tsig_failures_total",
                "Requests refused for their TSIG (RFC 8945 5.2), by error.", "error");
        rateLimited = metrics.counter("jmirage_dns_rrl_total",
                "UDP requests over the response rate limit, by action (drop, or slip: a truncated answer).", "action");
    }

    @Override
    public void answered(Request request, List<Bytes> responses) {
        Message m = request.message();
        Kind kind = kind(m);
        String rcode = responses.isEmpty() ? "none" : rcode(responses.getFirst()).describe();
        String transport = request.transport().name().toLowerCase(Locale.ROOT);
        switch (kind) {
            case QUERY, OTHER -> queries.labels(transport, rcode).inc();
            case TRANSFER -> transfers.labels(Type.name(m.questions().getFirst().qtype()), rcode).inc();
            case UPDATE -> updates.labels(rcode).inc();
            case NOTIFY -> notifies.labels(rcode).inc();
        }
        if (!responses.isEmpty() && rcode(responses.getFirst()).equals(Rcode.NOTAUTH)) {
            tsigError(responses.getFirst()).ifPresent(e -> tsigFailures.labels(e.describe()).inc());
        }
        long suppressed = logLines.take(clock.monotonicNanos());
        if (suppressed < 0) {
            return;
        }
        if (suppressed > 0) {
            log.info(suppressed + " query log line(s) left out (over " + LOG_PER_SECOND + " a second)");
        }
        log.info(line(request, kind, rcode));
    }

    @Override
    public void rateLimited(boolean slipped) {
        rateLimited.labels(slipped ? "slip" : "drop").inc();
    }

    /** One query log line: {@code query 192.0.2.7#5353 udp www.example.org. A NOERROR}. */
    static String line(Request request, Kind kind, String rcode) {
        String what = request.message().questions().isEmpty() ? "-"
                : request.message().questions().getFirst().name() + " " + Type.name(request.message().questions().getFirst().qtype());
        return kind.name().toLowerCase(Locale.ROOT) + " " + request.source().address().getHostAddress() + "#"
                + request.source().port() + " " + request.transport().name().toLowerCase(Locale.ROOT) + " " + what + " " + rcode;
    }

    static Kind kind(Message m) {
        return switch (m.header().opcode()) {
            case 0 -> m.questions().size() == 1 && isTransfer(m.questions().getFirst()) ? Kind.TRANSFER : Kind.QUERY;
            case 4 -> Kind.NOTIFY;
            case 5 -> Kind.UPDATE;
            default -> Kind.OTHER;
        };
    }

    private static boolean isTransfer(Question q) {
        return q.qtype() == Type.AXFR || q.qtype() == Type.IXFR;
    }

    /** The RCODE in a response's header (RFC 1035 4.1.1: the low 4 bits of the fourth byte). */
    static Rcode rcode(Bytes response) {
        return response.size() < 4 ? Rcode.FORMERR : Rcode.of(response.get(3) & 0x0f);
    }

    /** The TSIG error of a NOTAUTH answer (RFC 8945 5.2), read from its TSIG record. */
    static java.util.Optional<Rcode> tsigError(Bytes response) {
        if (!(MessageCodec.decode(response) instanceof Result.Ok<Message, ?>(Message m))) {
            return java.util.Optional.empty();
        }
        for (Record r : m.additional()) {
            if (r.rdata() instanceof Rdata.Tsig(var alg, var signed, var fudge, var mac, var id, int error, var other) && error != 0) {
                return java.util.Optional.of(Rcode.of(error));
            }
        }
        return java.util.Optional.empty();
    }
}
