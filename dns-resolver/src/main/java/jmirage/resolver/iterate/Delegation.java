package jmirage.resolver.iterate;

import java.util.List;
import java.util.Objects;
import jmirage.dns.Name;

/** A zone cut and the name servers that serve the zone below it, each with the addresses known for it. */
record Delegation(Name zone, List<Hints.Server> servers) {
    Delegation {
        Objects.requireNonNull(zone);
        servers = List.copyOf(servers);
    }
}
