package jmirage.net.ipv4;

import java.util.ArrayList;
import java.util.List;
import jmirage.core.Bytes;

/** Splits a datagram larger than the MTU into fragments (RFC 791 3.2, "Fragmentation"). */
public final class Fragmenter {

    private Fragmenter() {}

    /** The fragments of {@code packet} for links of {@code mtu} bytes; the packet itself if it fits. */
    public static List<Ipv4Packet> fragment(Ipv4Packet packet, int mtu) {
        int max = mtu - Ipv4Packet.HEADER;
        Bytes data = packet.payload();
        if (data.size() <= max) {
            return List.of(packet);
        }
        if (packet.dontFragment()) {
            return List.of(); // RFC 791: a DF datagram that does not fit is dropped.
        }
        int chunk = max & ~7; // every fragment but the last carries a multiple of 8 bytes
        List<Ipv4Packet> out = new ArrayList<>(data.size() / chunk + 1);
        for (int at = 0; at < data.size(); at += chunk) {
            int end = Math.min(data.size(), at + chunk);
            boolean more = end < data.size() || packet.moreFragments();
            out.add(packet.withPayload(data.slice(at, end), more, packet.fragmentOffset() + at));
        }
        return out;
    }
}
