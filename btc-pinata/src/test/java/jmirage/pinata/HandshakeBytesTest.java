package jmirage.pinata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import jmirage.core.Bytes;
import jmirage.sim.MemoryFlow;
import jmirage.testkit.ByteSearch;
import org.junit.jupiter.api.Test;

/**
 * The hand-made records of the negative cases, against the pinata's shell in the simulation: a
 * well-formed TLS 1.2 hello gets a ServerHello (so the refusals in NegativeCasesTest are refusals of
 * the flaw each case adds, not of a broken hello), and the flawed ones get the alert they should.
 */
class HandshakeBytesTest {

    private static byte[] answer(byte[] hello) {
        SimHarness h = new SimHarness(7);
        MemoryFlow attacker = h.attempt(Role.SERVER);
        attacker.write(Bytes.of(hello));
        h.sim.scheduler().runFor(Duration.ofSeconds(1));
        return SimHarness.received(attacker);
    }

    @Test
    void aWellFormedTls12HelloGetsAServerHello() {
        byte[] out = answer(Hellos.clientHello(Hellos.TLS12, Hellos.TLS12, Hellos.tls12Extensions()));
        assertTrue(out.length > 9, "an answer");
        assertEquals(0x16, out[0], "a handshake record");
        assertEquals(2, out[5], "ServerHello");
    }

    @Test
    void aHelloOfferingHeartbeatsStillGetsAServerHelloWithoutTheExtension() {
        byte[] out = answer(Hellos.clientHello(Hellos.TLS12, Hellos.TLS12,
                Hellos.concat(Hellos.tls12Extensions(), Hellos.ext(0x000f, Hellos.bytes(1)))));
        assertEquals(0x16, out[0]);
        assertEquals(2, out[5], "ServerHello");
        int length = ((out[3] & 0xff) << 8) | (out[4] & 0xff);
        byte[] serverHello = java.util.Arrays.copyOfRange(out, 5, 5 + length);
        assertEquals(-1, ByteSearch.indexOf(serverHello, Hellos.bytes(0x00, 0x0f, 0x00, 0x01)), "no heartbeat extension echoed");
    }

    @Test
    void aRenegotiatingHelloIsRefusedWithHandshakeFailure() {
        // RFC 5746 3.6: renegotiated_connection must be empty on an initial handshake
        byte[] out = answer(Hellos.clientHello(Hellos.TLS12, Hellos.TLS12,
                Hellos.concat(Hellos.tls12ExtensionsWithoutRenegotiationInfo(), Hellos.ext(0xff01, Hellos.concat(Hellos.bytes(12), new byte[12])))));
        assertEquals(Hellos.record(0x15, Hellos.TLS12, Hellos.bytes(2, 40)).length, out.length, "one alert record");
        assertEquals(0x15, out[0]);
        assertEquals(40, out[6], "handshake_failure");
    }
}
