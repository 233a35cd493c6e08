package jmirage.openvpn;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import jmirage.core.Bytes;
import jmirage.sim.VirtualClock;

/** Arbitrary datagrams from the tunnel as DNS answers: nothing throws, and with no query waiting none is relayed. */
class DnsRelayFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void arbitraryDatagramsAreNeverRelayedUnasked(FuzzedDataProvider data) {
        DnsRelay relay = new DnsRelay(new VirtualClock(java.time.Instant.EPOCH), b -> { });
        DnsRelayTest.Recorder socket = new DnsRelayTest.Recorder();
        relay.use(DnsRelayTest.LOCAL, DnsRelayTest.SERVER);
        relay.listenOn(socket);
        assertFalse(relay.answer(Bytes.of(data.consumeRemainingAsBytes())));
        org.junit.jupiter.api.Assertions.assertTrue(socket.sent.isEmpty());
    }
}
