package jmirage.net.ipv6;

import java.util.ArrayList;
import java.util.List;
import jmirage.core.Bytes;

/**
 * Fragments a packet this host sends that exceeds the link MTU (RFC 8200 4.5: only the source
 * fragments). We send no extension headers, so the unfragmentable part is the fixed header alone.
 */
public final class Ipv6Fragmenter {

    private Ipv6Fragmenter() {}

    /** The fragments of {@code packet} (not itself a fragment) for a link of {@code mtu} bytes, or the packet if it fits. */
    public static List<Ipv6Packet> fragment(Ipv6Packet packet, int mtu, int identification) {
        if (packet.isFragment()) {
            throw new IllegalArgumentException("already a fragment");
        }
        int linkMtu = Math.max(mtu, Ipv6Packet.MINIMUM_MTU);
        Bytes data = packet.payload();
        if (Ipv6Packet.HEADER + data.size() <= linkMtu) {
            return List.of(packet);
        }
        int chunk = (linkMtu - Ipv6Packet.HEADER - Ipv6Packet.FRAGMENT_HEADER) & ~7;
        List<Ipv6Packet> out = new ArrayList<>(data.size() / chunk + 1);
        for (int at = 0; at < data.size(); at += chunk) {
            int end = Math.min(data.size(), at + chunk);
            out.add(packet.withFragment(new Ipv6Packet.FragmentHeader(at, end < data.size(), identification), data.slice(at, end)));
        }
        return out;
    }
}
