package jmirage.pinata;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import jmirage.core.net.IpPrefix;

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
    private final Map<IpPrefix, Integer> byPeer = new HashMap<>();

    Admission(int max, int perPeer) {
        this.max = max;
        this.perPeer = perPeer;
    }

    /** Takes a slot for {@code from}, or says why not: a reason key of {@link Reasons} and a detail. */
    Optional<Bounty.Refusal> admit(InetAddress from) {
        if (inFlight >= max) {
            return Optional.of(new Bounty.Refusal(Reasons.OVERLOADED, inFlight + " connections already in flight"));
        }
        IpPrefix peer = peerOf(from);
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
        IpPrefix peer = peerOf(from);
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

    /**
     * The unit one peer is counted in: an IPv4 address alone (/32), or an IPv6 address's /64
     * (RFC 6177). An IPv4-mapped IPv6 address (RFC 4291 2.5.5.2), should a dual-stack socket
     * report an IPv4 peer so, counts as that IPv4 address.
     */
    static IpPrefix peerOf(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            if (mappedIpv4(b)) {
                try {
                    return IpPrefix.of(InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16)), IPV4_PEER_PREFIX);
                } catch (java.net.UnknownHostException impossible) {
                    throw new IllegalStateException(impossible);
                }
            }
            return IpPrefix.of(v6, IPV6_PEER_PREFIX);
        }
        return IpPrefix.of(address, IPV4_PEER_PREFIX);
    }

    /** An IPv4 peer is its address. */
    static final int IPV4_PEER_PREFIX = 32;
    /** An IPv6 peer is what a single subscriber is routinely given (RFC 6177). */
    static final int IPV6_PEER_PREFIX = 64;

    private static boolean mappedIpv4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    /** A peer as refusal lines have always shown it: {@code 192.0.2.1}, or {@code 2001:db8:0:1::/64}. */
    static String describe(IpPrefix peer) {
        if (peer.isIpv4()) {
            return peer.address().getHostAddress();
        }
        byte[] bits = peer.address().getAddress();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < IPV6_PEER_PREFIX / 8; i += 2) {
            s.append(Integer.toHexString(((bits[i] & 0xff) << 8) | (bits[i + 1] & 0xff))).append(':');
        }
        return s.append(":/").append(IPV6_PEER_PREFIX).toString();
    }
}
