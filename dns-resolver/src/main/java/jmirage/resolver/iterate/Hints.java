package jmirage.resolver.iterate;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import jmirage.core.net.Endpoint;
import jmirage.dns.Name;

/**
 * Where recursion starts: the servers of the root (from a named.root hints file, or the real root
 * servers by default) and of any stub zone (unbound's {@code stub-zone}: a zone whose servers are
 * configured rather than found), and the forwarders of forward zones ({@code --forward} is a
 * forward zone for the root). Keys are lower-case zone names.
 */
public record Hints(Map<Name, List<Server>> stubs, Map<Name, List<Endpoint>> forwards) {

    /** A name server by name with the addresses known for it (none: resolve its name first). */
    public record Server(Name name, List<InetAddress> addresses) {
        public Server {
            addresses = List.copyOf(addresses);
        }
    }

    public Hints {
        stubs = Map.copyOf(stubs);
        forwards = Map.copyOf(forwards);
    }
}
