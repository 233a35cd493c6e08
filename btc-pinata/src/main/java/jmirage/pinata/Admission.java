package jmirage.pinata;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who may open one more connection now: at most {@code max} in flight at once, and at most
 * {@code perPeer} from one peer, so one attacker cannot take every slot from the others. A peer is
 * an IPv4 address, or an IPv6 /64: a single IPv6 subscriber is routinely given a /64 (RFC 6177),
 * so counting single IPv6 addresses would let one attacker open 2^64 times the limit. No I/O, no
 * clock; the shell calls it on the loop and must {@link #release} every admitted address once.
 */
final class Admission {

    private final int max;
    private final int perPeer;
    private int inFlight;
    private final Map<Object, Integer> byPeer = new HashMap<>();

    Admission(int max, int perPeer) {
        this.max = max;
        this.perPeer = perPeer;
    }

    /** Takes a slot for {@code from}, or says why not: a reason key of {@link Reasons} and a detail. */
    Optional<Bounty.Refusal> admit(InetAddress from) {
        if (inFlight >= max) {
            return Optional.of(new Bounty.Refusal(Reasons.OVERLOADED, inFlight + " connections already in flight"));
        }
        Object peer = peerOf(from);
        int n = byPeer.getOrDefault(peer, 0);
        if (n >= perPeer) {
            return Optional.of(new Bounty.Refusal(Reasons.PEER_LIMIT, n + " connections from " + describe(peer) + " already in flight"));
        }
        inFlight++;
        byPeer.put(peer, n + 1);
        return Optional.empty();
    }

    /** Gives back the slot {@link #admit} took for {@code from}. */
    void release(InetAddress from) {
        Object peer = peerOf(from);
        Integer n = byPeer.get(peer);
        if (n == null) {
            return;   // never admitted: nothing to give back
        }
        if (n == 1) {
            byPeer.remove(peer);
        } else {
            byPeer.put(peer, n - 1);
        }
        inFlight--;
    }

    int inFlight() {
        return inFlight;
    }

    /** The unit one peer is counted in: the IPv4 address itself, or the IPv6 address's /64 prefix. */
    static Object peerOf(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            if (mappedIpv4(b)) {
                // ::ffff:a.b.c.d (RFC 4291 2.5.5.2), should a dual-stack socket report an IPv4 peer so
                try {
                    return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
                } catch (java.net.UnknownHostException impossible) {
                    throw new IllegalStateException(impossible);
                }
            }
            return new Prefix64(Arrays.copyOf(b, 8));
        }
        return address;
    }

    private static boolean mappedIpv4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static String describe(Object peer) {
        return peer instanceof InetAddress a ? a.getHostAddress() : peer.toString();
    }

    /** The first 64 bits of an IPv6 address. */
    private record Prefix64(byte[] bits) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Prefix64(byte[] b) && Arrays.equals(bits, b);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bits);
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                s.append(Integer.toHexString(((bits[i] & 0xff) << 8) | (bits[i + 1] & 0xff))).append(':');
            }
            return s.append(":/64").toString();
        }
    }
}
