package jmirage.openvpn.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.openvpn.data.AeadCipher;
import jmirage.openvpn.data.CompressionFraming;
import jmirage.openvpn.keys.KeyMethod2;
import jmirage.openvpn.keys.PushReply;
import jmirage.openvpn.wire.ControlWrap;
import jmirage.sim.Simulation;
import jmirage.tls.SelfSigned;
import jmirage.tls.TlsClientConfig;
import jmirage.tls.TlsDevices;

/**
 * Arbitrary packets into a session that has sent its reset (no wrapping, so they reach the control
 * path), and arbitrary TLS plaintext into {@link KeyMethod2#serverMessageLength}: nothing throws, the
 * session never reports the tunnel up, and a length is never beyond the bytes given.
 */
class SessionInputFuzzTest {

    static final TlsClientConfig TLS = new TlsClientConfig(
            List.of(SelfSigned.make(new Simulation(1).random(), Instant.now(), List.of("server.test")).leaf()),
            Optional.empty(), Optional.empty(), List.of(), Duration.ofSeconds(60));

    @FuzzTest(maxDuration = "20s")
    void arbitraryPacketsNeverBringTheTunnelUpNorThrow(FuzzedDataProvider data) {
        Simulation sim = new Simulation(data.consumeLong(), Instant.now());
        List<String> events = new ArrayList<>();
        Session.Settings settings = new Session.Settings(new ControlWrap.Plain(), false, TLS, List.of(AeadCipher.AES_128_GCM),
                Optional.empty(), Optional.empty(), Duration.ZERO, Duration.ZERO, Duration.ZERO, CompressionFraming.NONE,
                Duration.ofSeconds(60));
        Session session = new Session(settings, b -> { }, new Session.Events() {
            @Override
            public void up(PushReply push) {
                events.add("up");
            }

            @Override
            public void packet(Bytes datagram) {
                events.add("packet");
            }

            @Override
            public void failed(String reason, boolean fatal) {
                events.add("failed");
            }
        }, new TlsDevices(sim.scheduler(), sim.clock(), sim.random()), sim.log("fuzz", LogLevel.ERROR));
        session.start();
        int packets = data.consumeInt(1, 8);
        for (int i = 0; i < packets && data.remainingBytes() > 0; i++) {
            session.input(Bytes.of(data.consumeBytes(data.consumeInt(0, 300))));
            sim.scheduler().runFor(Duration.ofMillis(10));
        }
        assertFalse(events.contains("up") || events.contains("packet"), events.toString());
        assertFalse(session.sendIp(Bytes.of((byte) 0x45)));
    }

    @FuzzTest(maxDuration = "20s")
    void theServerKeyMessageLengthStaysWithinTheBytes(FuzzedDataProvider data) {
        Bytes plaintext = Bytes.of(data.consumeRemainingAsBytes());
        OptionalInt length = KeyMethod2.serverMessageLength(plaintext);
        assertTrue(length.isEmpty() || length.getAsInt() <= plaintext.size(), length + " of " + plaintext.size());
        if (length.isPresent()) {
            assertEquals(length, KeyMethod2.serverMessageLength(plaintext.slice(0, length.getAsInt())), "the message alone has the same length");
        }
    }
}
