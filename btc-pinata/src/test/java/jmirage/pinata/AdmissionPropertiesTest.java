package jmirage.pinata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jmirage.core.net.IpPrefix;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The admission and log-budget cores, against simple models. */
class AdmissionPropertiesTest {

    /** A few peers: IPv4 addresses, and IPv6 addresses in two /64s. */
    private static final List<InetAddress> PEERS = List.of(
            InetAddress.ofLiteral("192.0.2.1"), InetAddress.ofLiteral("192.0.2.2"), InetAddress.ofLiteral("198.51.100.9"),
            InetAddress.ofLiteral("2001:db8:0:1::1"), InetAddress.ofLiteral("2001:db8:0:1::2"),
            InetAddress.ofLiteral("2001:db8:0:1:ffff::3"), InetAddress.ofLiteral("2001:db8:0:2::1"));

    /** An operation: admit (true) or release (false) one of {@link #PEERS}. */
    record Op(boolean admit, int peer) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        return Arbitraries.integers().between(0, PEERS.size() - 1)
                .flatMap(p -> Arbitraries.of(true, true, false).map(a -> new Op(a, p)))
                .list().ofMaxSize(300);
    }

    /**
     * Against a model that counts admitted connections per peer unit: admits exactly when both
     * limits allow, and a release gives back only what was admitted.
     */
    @Property
    void admissionFollowsTheModel(@ForAll("ops") List<Op> ops, @ForAll @IntRange(min = 1, max = 12) int max,
            @ForAll @IntRange(min = 1, max = 5) int perPeer) {
        Admission a = new Admission(max, perPeer);
        Map<IpPrefix, Integer> model = new HashMap<>();
        List<InetAddress> held = new ArrayList<>();
        for (Op op : ops) {
            InetAddress peer = PEERS.get(op.peer());
            IpPrefix unit = Admission.peerOf(peer);
            int total = model.values().stream().mapToInt(Integer::intValue).sum();
            if (op.admit()) {
                boolean allowed = total < max && model.getOrDefault(unit, 0) < perPeer;
                assertEquals(allowed, a.admit(peer).isEmpty(), "admit " + peer);
                if (allowed) {
                    model.merge(unit, 1, Integer::sum);
                    held.add(peer);
                }
            } else {
                // release an address of the same unit if one is held (any address of the /64 will do)
                InetAddress same = held.stream().filter(h -> Admission.peerOf(h).equals(unit)).findFirst().orElse(null);
                a.release(peer);
                if (same != null) {
                    held.remove(same);
                    model.merge(unit, -1, Integer::sum);
                }
            }
            assertEquals(model.values().stream().mapToInt(Integer::intValue).sum(), a.inFlight());
            assertTrue(a.inFlight() <= max);
        }
    }
}
