package jmirage.qubes.firewall;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import jmirage.core.Cancellable;
import jmirage.core.Log;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.NameError;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.client.StubClient;
import jmirage.qubes.rules.Rule;

/**
 * The addresses of the {@code dsthost} names of the clients' rules, asked of the DNS server the
 * clients use (the first {@code --dns}) through the uplink's stack, and asked again when their TTL
 * runs out (RFC 1035 3.2.1), within {@link #refreshAfter}'s bounds. A name not resolved (yet, or its
 * server failing) has no addresses, and its rules match nothing, as in the anchor; it is asked again
 * after {@link #RETRY}. Each change of the addresses is handed to {@code changed}.
 */
final class HostNames {

    /** The shortest and longest wait before a name is asked again: a TTL of 0 would ask without end. */
    static final Duration MIN_TTL = Duration.ofSeconds(5);
    static final Duration MAX_TTL = Duration.ofHours(1);
    /** After a failed answer. */
    static final Duration RETRY = Duration.ofSeconds(10);

    private final StubClient dns;
    private final Scheduler scheduler;
    private final Log log;
    private final Consumer<Map<String, Set<InetAddress>>> changed;
    private final Map<String, Set<InetAddress>> resolved = new HashMap<>();
    private final Map<String, Cancellable> timers = new HashMap<>();

    HostNames(StubClient dns, Scheduler scheduler, Log log, Consumer<Map<String, Set<InetAddress>>> changed) {
        this.dns = dns;
        this.scheduler = scheduler;
        this.log = log;
        this.changed = changed;
    }

    /** The wait before a name whose answer had {@code ttlSeconds} is asked again. */
    static Duration refreshAfter(long ttlSeconds) {
        Duration ttl = Duration.ofSeconds(ttlSeconds);
        return ttl.compareTo(MIN_TTL) < 0 ? MIN_TTL : ttl.compareTo(MAX_TTL) > 0 ? MAX_TTL : ttl;
    }

    /** The {@code dsthost} names of every client's rules. */
    static Set<String> namesOf(Feed feed) {
        Set<String> names = new TreeSet<>();
        for (Client c : feed.clients().values()) {
            for (Rule r : c.rules().rules()) {
                if (r.destination() instanceof Rule.Destination.Host(String name)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** Follows the names of {@code feed}: new ones asked now, those no rule names any more forgotten. */
    void follow(Feed feed) {
        Set<String> wanted = namesOf(feed);
        boolean forgot = false;
        for (String name : Set.copyOf(timers.keySet())) {
            if (!wanted.contains(name)) {
                timers.remove(name).cancel();
                forgot |= resolved.remove(name) != null;
            }
        }
        for (String name : wanted) {
            if (!timers.containsKey(name)) {
                timers.put(name, () -> false); // asked now; its timer once answered
                ask(name);
            }
        }
        if (forgot) {
            changed.accept(Map.copyOf(resolved));
        }
    }

    void stop() {
        timers.values().forEach(Cancellable::cancel);
        timers.clear();
    }

    private void ask(String name) {
        Result<Name, NameError> parsed = Name.parse(name.endsWith(".") ? name : name + ".");
        if (!(parsed instanceof Result.Ok<Name, NameError>(Name n))) {
            return; // the rule parser lets only host names through
        }
        dns.query(n, Type.A).onSuccess(answer -> {
            if (!timers.containsKey(name)) {
                return; // no rule names it any more
            }
            Set<InetAddress> addresses = new LinkedHashSet<>();
            long ttl = Long.MAX_VALUE;
            if (answer instanceof Result.Ok<Message, StubClient.ClientError>(Message m)) {
                for (Record r : m.answers()) {
                    if (r.rdata() instanceof Rdata.A(var address)) {
                        addresses.add(address);
                        ttl = Math.min(ttl, r.ttl());
                    }
                }
            }
            Duration next = addresses.isEmpty() ? RETRY : refreshAfter(ttl);
            if (addresses.isEmpty()) {
                log.warn("dsthost " + name + " not resolved" + (answer instanceof Result.Err<Message, StubClient.ClientError>(var e)
                        ? ": " + e.describe() : "") + "; its rules match nothing until it is");
            }
            Set<InetAddress> before = resolved.getOrDefault(name, Set.of());
            if (addresses.isEmpty()) {
                resolved.remove(name);
            } else {
                resolved.put(name, Set.copyOf(addresses));
            }
            timers.put(name, scheduler.schedule(next, () -> ask(name)));
            if (!before.equals(Set.copyOf(addresses))) {
                changed.accept(Map.copyOf(resolved));
            }
        });
    }
}
