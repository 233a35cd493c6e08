package jmirage.resolver.rpl;

import java.net.InetAddress;
import java.util.List;

/**
 * A {@code RANGE_BEGIN start end} block: scripted answers that hold from step {@code start} to step
 * {@code end} inclusive, for queries to one of {@code addresses} (to any server when empty).
 */
public record RplRange(int line, int start, int end, List<InetAddress> addresses, List<RplEntry> entries) {

    public RplRange {
        addresses = List.copyOf(addresses);
        entries = List.copyOf(entries);
    }

    public boolean activeAt(int step) {
        return start <= step && step <= end;
    }

    public boolean serves(InetAddress server) {
        return addresses.isEmpty() || addresses.contains(server);
    }
}
