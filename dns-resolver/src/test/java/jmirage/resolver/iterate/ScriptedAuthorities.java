package jmirage.resolver.iterate;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import jmirage.authoritative.query.Lookup;
import jmirage.authoritative.query.Responder;
import jmirage.authoritative.zone.Zone;
import jmirage.authoritative.zone.Zones;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.resolver.upstream.Upstream;
import jmirage.resolver.upstream.UpstreamError;

/**
 * Authorities for tests, answering at once: each server address serves some zones through the
 * authoritative server's own responder; faults are scripted per address (timeouts, truncation, a
 * rewrite of the answer). Every query is logged, and the clock moves by each server's latency or by
 * the timeout on a timeout, so round trips are what the script says.
 */
final class ScriptedAuthorities implements Upstream {

    /** One query as the upstream saw it. */
    record Asked(InetAddress server, Question question, Transport transport, Duration timeout, Message query) {
        @Override
        public String toString() {
            return server.getHostAddress() + " " + question.name() + " " + jmirage.dns.Type.name(question.qtype()) + " " + transport;
        }
    }

    private final ManualClock clock;
    private final Map<InetAddress, Zones> servers = new HashMap<>();
    private final Map<InetAddress, Integer> timeoutsLeft = new HashMap<>();
    private final Map<InetAddress, Duration> latency = new HashMap<>();
    private final Map<InetAddress, UnaryOperator<Message>> rewrites = new HashMap<>();
    private final Map<InetAddress, Boolean> truncateUdp = new HashMap<>();
    final List<Asked> log = new ArrayList<>();

    ScriptedAuthorities(ManualClock clock) {
        this.clock = clock;
    }

    static InetAddress ip(String text) {
        return jmirage.core.net.IpAddresses.parse(text).orElseThrow();
    }

    /** {@code address} serves the zone given by its master-file text. */
    ScriptedAuthorities serve(String address, String origin, String zoneText) {
        Zone zone = Zone.parse(zoneText, Name.of(origin)).orElseThrow(e -> new IllegalArgumentException(e.toString()));
        servers.merge(ip(address), Zones.of(List.of(zone)), (a, b) -> a.with(zone));
        return this;
    }

    /** The next {@code count} queries to {@code address} time out (-1: all of them). */
    ScriptedAuthorities timeouts(String address, int count) {
        timeoutsLeft.put(ip(address), count);
        return this;
    }

    ScriptedAuthorities latency(String address, Duration d) {
        latency.put(ip(address), d);
        return this;
    }

    ScriptedAuthorities rewrite(String address, UnaryOperator<Message> f) {
        rewrites.put(ip(address), f);
        return this;
    }

    /** Answers over UDP from {@code address} are empty with TC set (RFC 2181 9). */
    ScriptedAuthorities truncateUdp(String address) {
        truncateUdp.put(ip(address), true);
        return this;
    }

    @Override
    public Promise<Result<Message, UpstreamError>> ask(Endpoint server, Message query, Transport transport) {
        return ask(server, query, transport, Duration.ofSeconds(1));
    }

    @Override
    public Promise<Result<Message, UpstreamError>> ask(Endpoint server, Message query, Transport transport, Duration timeout) {
        InetAddress a = server.address();
        log.add(new Asked(a, query.questions().getFirst(), transport, timeout, query));
        int left = timeoutsLeft.getOrDefault(a, 0);
        if (left != 0) {
            timeoutsLeft.put(a, left - 1);
            clock.advance(timeout);
            return Promise.resolved(Result.err(new UpstreamError.TimedOut(timeout.toMillis())));
        }
        Zones zones = servers.get(a);
        if (zones == null) {
            clock.advance(timeout);
            return Promise.resolved(Result.err(new UpstreamError.TimedOut(timeout.toMillis()))); // nobody there
        }
        clock.advance(latency.getOrDefault(a, Duration.ofMillis(10)));
        Message answer = Responder.respond(zones, query, Lookup.AnyPolicy.ONE_RRSET);
        if (transport == Transport.UDP && truncateUdp.getOrDefault(a, false)) {
            answer = jmirage.dns.server.Responses.truncated(query);
        }
        answer = rewrites.getOrDefault(a, UnaryOperator.identity()).apply(answer);
        return Promise.resolved(Result.ok(answer));
    }

    long queriesTo(String address) {
        InetAddress a = ip(address);
        return log.stream().filter(q -> q.server().equals(a)).count();
    }
}
