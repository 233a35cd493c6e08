package jmirage.qubes.firewall;

import java.net.Inet4Address;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.metrics.Metrics;

/**
 * What the firewall did with each client's datagrams: accepted, or dropped by reason
 * ({@link Firewall.Reason}). Counted on the loop; a datagram whose sender is no client (an unknown MAC)
 * is counted under the client {@code unknown}. Read as {@code jmirage_qubes_datagrams_total{client,fate}}.
 */
public final class ClientStatistics {

    /** The fates, in the order of the counters: accepted, then the reasons in their order. */
    static final List<String> FATES = List.of("accepted", "spoofed", "rule", "client_to_client", "to_firewall", "malformed");

    private final Map<String, long[]> byClient = new LinkedHashMap<>();

    /** Counts a verdict of {@link Firewall#link} or {@link Firewall#fromClient}. */
    public void count(Firewall.Verdict verdict) {
        switch (verdict) {
            case Firewall.Verdict.Accept(Client c) -> counters(Optional.of(c))[0]++;
            case Firewall.Verdict.Drop(Optional<Client> c, Firewall.Reason reason) -> counters(c)[1 + reason.ordinal()]++;
        }
    }

    /** One client's count of one fate ({@link #FATES}); 0 when none. */
    public long get(Inet4Address client, String fate) {
        long[] c = byClient.get(client.getHostAddress());
        return c == null ? 0 : c[FATES.indexOf(fate)];
    }

    /** Every count, by client and fate. */
    public Map<List<String>, Long> snapshot() {
        Map<List<String>, Long> all = new LinkedHashMap<>();
        byClient.forEach((client, counts) -> {
            for (int i = 0; i < counts.length; i++) {
                all.put(List.of(client, FATES.get(i)), counts[i]);
            }
        });
        return all;
    }

    public void register(Metrics metrics) {
        metrics.counter("jmirage_qubes_datagrams_total", "Datagrams from each client: accepted, or dropped by the"
                + " client's rules, as spoofed, to another client, to the firewall itself, malformed.", List.of("client", "fate"),
                this::snapshot);
    }

    private long[] counters(Optional<Client> client) {
        return byClient.computeIfAbsent(client.map(c -> c.address().getHostAddress()).orElse("unknown"),
                k -> new long[FATES.size()]);
    }
}
