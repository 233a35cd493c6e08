package jmirage.dhcpd;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Clock;
import jmirage.core.Promise;
import jmirage.dhcpd.core.Lease;
import jmirage.dhcpd.core.LeaseView;
import jmirage.http.Handler;
import jmirage.http.Headers;
import jmirage.http.HttpResponse;
import jmirage.http.server.Router;
import jmirage.net.wire.Wire;

/** The read-only leases page: {@code GET /} a plain-text table, {@code GET /leases.json} the same as JSON. */
final class LeasesPage {

    private LeasesPage() {}

    static Handler handler(LeaseView leases, Clock clock) {
        return Router.builder()
                .get("/", (request, params) -> Promise.resolved(text(leases, clock.now())))
                .get("/leases.json", (request, params) -> Promise.resolved(json(leases, clock.now())))
                .build();
    }

    private static List<Lease> current(LeaseView leases, Instant now) {
        return leases.live(now).stream()
                .sorted(Comparator.comparingLong(l -> Integer.toUnsignedLong(Wire.ipv4ToInt(l.address()))))
                .toList();
    }

    static HttpResponse text(LeaseView leases, Instant now) {
        StringBuilder b = new StringBuilder();
        List<Lease> live = current(leases, now);
        b.append(String.format("%-16s %-18s %-9s %-21s %s%n", "address", "hardware", "state", "until (UTC)", "client [name in DNS]"));
        for (Lease l : live) {
            b.append(String.format("%-16s %-18s %-9s %-21s %s%n", l.address().getHostAddress(), l.mac(), l.state(),
                    l.until().truncatedTo(ChronoUnit.SECONDS).toString(), l.client() + l.fqdn().map(n -> " " + n).orElse("")));
        }
        b.append(live.size()).append(" live leases at ").append(now.truncatedTo(ChronoUnit.SECONDS)).append('\n');
        return HttpResponse.of(200, Headers.of("content-type", "text/plain; charset=utf-8", "cache-control", "no-store"),
                Bytes.utf8(b.toString()));
    }

    static HttpResponse json(LeaseView leases, Instant now) {
        StringBuilder b = new StringBuilder("[");
        for (Lease l : current(leases, now)) {
            if (b.length() > 1) {
                b.append(',');
            }
            // Every field is an address, a MAC, an enum name, an ISO instant, hex or an LDH name: nothing to escape.
            b.append("\n{\"address\":\"").append(l.address().getHostAddress())
                    .append("\",\"hardware\":\"").append(l.mac())
                    .append("\",\"state\":\"").append(l.state())
                    .append("\",\"until\":\"").append(l.until().truncatedTo(ChronoUnit.SECONDS))
                    .append("\",\"client\":\"").append(l.client()).append('"')
                    .append(l.fqdn().map(n -> ",\"name\":\"" + n + "\"").orElse("")).append('}');
        }
        b.append("\n]\n");
        return HttpResponse.of(200, Headers.of("content-type", "application/json", "cache-control", "no-store"),
                Bytes.utf8(b.toString()));
    }
}
