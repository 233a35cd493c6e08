package jmirage.dhcpd;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import jmirage.core.metrics.Counter;
import jmirage.core.metrics.Metrics;
import jmirage.dhcpd.core.DhcpCore.SubnetUsage;
import jmirage.dhcpd.core.DnsUpdatePlan;
import jmirage.dhcpd.core.LeaseEvent;
import jmirage.net.dhcp.DhcpMessage;

/**
 * What the server counts (the names are in the README): messages in by type, replies out by type,
 * malformed messages, lease events, store writes that failed and the replies they withheld; and,
 * read at each scrape, each subnet's live leases and free addresses. On the loop only.
 */
final class DhcpMetrics {

    private static final List<String> RECEIVED_TYPES = List.of("discover", "request", "decline", "release", "inform", "other");
    private static final List<String> REPLY_TYPES = List.of("offer", "ack", "nak");
    private static final List<String> LEASE_EVENTS = List.of("granted", "renewed", "released", "declined", "expired");

    private final Counter received;
    private final Counter replies;
    private final Counter malformed;
    private final Counter leaseEvents;
    private final Counter storeWriteFailures;
    private final Counter repliesWithheld;
    private final Counter ddnsUpdates;
    /**
     * The series of each label value, looked up once: {@code labels(...)} hashes a list of the
     * values at each call, 2% of the event loop's samples when it ran per message.
     */
    private final Map<String, Counter.Series> receivedSeries = new HashMap<>();
    private final Map<String, Counter.Series> replySeries = new HashMap<>();
    private final Map<String, Counter.Series> eventSeries = new HashMap<>();
    private final Map<DnsUpdatePlan.Outcome, Counter.Series> ddnsSeries = new EnumMap<>(DnsUpdatePlan.Outcome.class);

    DhcpMetrics(Metrics metrics, Supplier<List<SubnetUsage>> usage) {
        received = metrics.counter("jmirage_dhcp_messages_received_total",
                "DHCP messages received that parsed, by message type (RFC 2132 9.6).", "type");
        replies = metrics.counter("jmirage_dhcp_replies_sent_total", "DHCP replies sent, by message type.", "type");
        malformed = metrics.counter("jmirage_dhcp_malformed_total",
                "Messages dropped as malformed: unparsable, no message type, too many hops, a REQUEST or DECLINE without its address.");
        leaseEvents = metrics.counter("jmirage_dhcp_lease_events_total",
                "Lease events, counted once their records are in the store: granted, renewed, released, declined, expired.", "event");
        storeWriteFailures = metrics.counter("jmirage_dhcp_lease_store_write_failures_total",
                "Lease store writes that failed; their replies were withheld.");
        repliesWithheld = metrics.counter("jmirage_dhcp_replies_withheld_total",
                "Replies and lease events not sent because their records could not be written (the clients retry).");
        ddnsUpdates = metrics.counter("jmirage_dhcp_ddns_updates_total",
                "Dynamic DNS updates of clients' names (RFC 4703), by what their answers meant: added, replaced, conflict,"
                        + " ptr_set, removed, not_ours, ptr_removed, failed, no_zone.", "result");
        RECEIVED_TYPES.forEach(t -> receivedSeries.put(t, received.labels(t)));
        for (DnsUpdatePlan.Outcome o : DnsUpdatePlan.Outcome.values()) {
            ddnsSeries.put(o, ddnsUpdates.labels(o.label));
        }
        REPLY_TYPES.forEach(t -> replySeries.put(t, replies.labels(t)));
        LEASE_EVENTS.forEach(e -> eventSeries.put(e, leaseEvents.labels(e)));
        metrics.gauge("jmirage_dhcp_leases", "Live leases on each subnet, by state, at the scrape.", List.of("subnet", "state"),
                () -> {
                    Map<List<String>, Double> series = new LinkedHashMap<>();
                    for (SubnetUsage u : usage.get()) {
                        series.put(List.of(u.subnet().toString(), "bound"), (double) u.bound());
                        series.put(List.of(u.subnet().toString(), "offered"), (double) u.offered());
                        series.put(List.of(u.subnet().toString(), "declined"), (double) u.declined());
                    }
                    return series;
                });
        metrics.gauge("jmirage_dhcp_free_addresses", "Addresses of each subnet's ranges that a client could be offered now.",
                List.of("subnet"), () -> {
                    Map<List<String>, Double> series = new LinkedHashMap<>();
                    usage.get().forEach(u -> series.put(List.of(u.subnet().toString()), (double) u.free()));
                    return series;
                });
    }

    void received(DhcpMessage m) {
        receivedSeries.get(switch (m.messageType().orElse(0)) {
            case DhcpMessage.DISCOVER -> "discover";
            case DhcpMessage.REQUEST -> "request";
            case DhcpMessage.DECLINE -> "decline";
            case DhcpMessage.RELEASE -> "release";
            case DhcpMessage.INFORM -> "inform";
            default -> "other";
        }).inc();
    }

    void sent(int type) {
        switch (type) {
            case DhcpMessage.OFFER -> replySeries.get("offer").inc();
            case DhcpMessage.ACK -> replySeries.get("ack").inc();
            case DhcpMessage.NAK -> replySeries.get("nak").inc();
            default -> throw new IllegalArgumentException("not a server reply: " + type);
        }
    }

    void malformed() {
        malformed.inc();
    }

    void leaseEvent(LeaseEvent event) {
        eventSeries.get(switch (event) {
            case LeaseEvent.Granted g -> "granted";
            case LeaseEvent.Renewed r -> "renewed";
            case LeaseEvent.Released r -> "released";
            case LeaseEvent.Declined d -> "declined";
            case LeaseEvent.Expired e -> "expired";
        }).inc();
    }

    void ddnsUpdate(DnsUpdatePlan.Outcome outcome) {
        ddnsSeries.get(outcome).inc();
    }

    void storeWriteFailed(int withheld) {
        storeWriteFailures.inc();
        repliesWithheld.inc(withheld);
    }

    /** The stop line's summary. */
    String summary() {
        return replies.labels("offer").value() + " offers, " + replies.labels("ack").value() + " acks, "
                + replies.labels("nak").value() + " naks, " + malformed.labels().value() + " malformed";
    }
}
