package jmirage.pinata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import jmirage.core.Bytes;
import jmirage.sim.MemoryFlow;
import jmirage.testkit.ByteSearch;

/**
 * Arbitrary bytes from the peer, cut into fuzzed pieces, into the pinata's attempt on 10000 (as
 * TLS server, optionally after a genuine ClientHello) or 10002 (as TLS client, the bytes being the
 * "server's" answers): the attempt always ends, counted as exactly one failure and never a
 * success, and the secret never shows in anything the pinata wrote.
 */
class PinataAttemptFuzzTest {

    private static final byte[] HELLO = Hellos.clientHello(Hellos.TLS12, Hellos.TLS12, Hellos.tls12Extensions());

    @FuzzTest(maxDuration = "20s")
    void noInputWinsTheSecret(FuzzedDataProvider data) {
        boolean server = data.consumeBoolean();
        boolean afterHello = data.consumeBoolean();
        int piece = data.consumeInt(1, 2048);
        byte[] input = data.consumeRemainingAsBytes();

        SimHarness h = new SimHarness(5);
        Role role = server ? Role.SERVER : Role.CLIENT;
        MemoryFlow attacker = h.attempt(role);
        Bytes all = server && afterHello ? Bytes.of(HELLO).concat(Bytes.of(input)) : Bytes.of(input);
        for (int from = 0; from < all.size(); from += piece) {
            attacker.write(all.slice(from, Math.min(all.size(), from + piece)));
        }
        attacker.shutdownOutput();
        h.sim.scheduler().runFor(Duration.ofSeconds(15));

        Stats stats = h.bounty.stats();
        assertEquals(0, stats.successes(role), "no success without a certificate from the CA");
        assertEquals(1, stats.failures(role), () -> "the attempt ended as one failure: " + stats.encode().toUtf8());
        byte[] out = SimHarness.received(attacker);
        assertEquals(-1, ByteSearch.indexOf(out, h.secret), "the secret in the pinata's output");
        assertFalse(stats.encode().toUtf8().contains("internal-error"), "no bug in the attempt");
        assertTrue(out.length < 16384, "output stays small: " + out.length);
    }
}
