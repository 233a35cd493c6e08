package jmirage.openvpn.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import jmirage.openvpn.keys.PushReply;

/**
 * A push in several replies ({@code push-continuation}, push.c process_incoming_push_msg): the
 * options of all of them, as one reply. A single option given twice keeps its first value; lists
 * (routes, DNS servers, domains) add up.
 */
final class Pushes {

    private Pushes() {}

    static PushReply merge(List<PushReply> parts) {
        if (parts.size() == 1) {
            return parts.getFirst();
        }
        List<PushReply.Route> routes = new ArrayList<>();
        List<java.net.Inet4Address> dns = new ArrayList<>();
        List<String> domains = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        boolean ekm = false;
        OptionalInt peerId = OptionalInt.empty();
        for (PushReply p : parts) {
            routes.addAll(p.routes());
            dns.addAll(p.dns());
            domains.addAll(p.domains());
            ignored.addAll(p.ignored());
            ekm |= p.tlsEkm();
            if (peerId.isEmpty()) {
                peerId = p.peerId();
            }
        }
        return new PushReply(first(parts, PushReply::ifconfig), first(parts, PushReply::topology), routes, first(parts, PushReply::routeGateway),
                first(parts, PushReply::redirectGateway), dns, domains, peerId, first(parts, PushReply::ping), first(parts, PushReply::pingRestart),
                first(parts, PushReply::renegotiation), first(parts, PushReply::cipher), first(parts, PushReply::compression), ekm, false, ignored);
    }

    private static <T> Optional<T> first(List<PushReply> parts, Function<PushReply, Optional<T>> field) {
        return parts.stream().map(field).flatMap(Optional::stream).findFirst();
    }
}
