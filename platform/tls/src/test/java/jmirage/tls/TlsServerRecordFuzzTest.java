package jmirage.tls;

import jmirage.sim.MemoryFlow;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.sim.SeededRandom;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualClock;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.PeerName;

/**
 * Arbitrary TLS record input to the server side, cut into pieces of a fuzzed size, either from the
 * first byte or after a genuine ClientHello (so the fuzzer reaches the later handshake states):
 * the handshake always ends with a typed result, no exception escapes, and the server's output
 * stays small.
 */
class TlsServerRecordFuzzTest {

    private static final TestPki PKI = TestPki.create(KeyType.EC_P256, new SeededRandom(1), VirtualClock.DEFAULT_START);
    private static final Bytes CLIENT_HELLO = clientHello();

    /** The first flight of our own client, as a real ClientHello to build on. */
    private static Bytes clientHello() {
        Simulation sim = new Simulation(2);
        MemoryFlow[] pipe = MemoryFlow.pair(sim.scheduler());
        TlsDevices devices = new TlsDevices(sim.scheduler(), sim.clock(), sim.random());
        TlsFlow.connect(pipe[0], TlsClientConfig.of(List.of(PKI.ca()), new PeerName.Dns("localhost"))
                .withClientCredentials(PKI.client()), devices);
        sim.scheduler().runUntilIdle(10_000);
        return pipe[0].sent();
    }

    @FuzzTest(maxDuration = "20s")
    void arbitraryRecordsEndInATypedResult(FuzzedDataProvider data) {
        boolean afterHello = data.consumeBoolean();
        boolean clientAuth = data.consumeBoolean();
        int piece = data.consumeInt(1, 4096);
        byte[] input = data.consumeRemainingAsBytes();

        Simulation sim = new Simulation(3, Instant.parse("2026-01-01T00:00:00Z"));
        TlsDevices devices = new TlsDevices(sim.scheduler(), sim.clock(), sim.random());
        MemoryFlow[] pipe = MemoryFlow.pair(sim.scheduler());
        TlsServerConfig config = TlsServerConfig.of(PKI.server()).withHandshakeTimeout(Duration.ofSeconds(5));
        if (clientAuth) {
            config = config.withClientAuth(ClientAuth.REQUIRED, List.of(PKI.ca()));
        }
        Promise<Result<TlsFlow, TlsFailure>> server = TlsFlow.accept(pipe[1], config, devices);
        Bytes all = afterHello ? CLIENT_HELLO.concat(Bytes.of(input)) : Bytes.of(input);
        for (int from = 0; from < all.size(); from += piece) {
            pipe[0].write(all.slice(from, Math.min(all.size(), from + piece)));
        }
        pipe[0].shutdownOutput();
        sim.scheduler().runUntilIdle(1_000_000);
        sim.scheduler().runFor(Duration.ofSeconds(10));

        assertTrue(server.isDone(), "the handshake ended");
        assertTrue(server.isResolved(), () -> "no exception escapes: " + server);
        // Without a complete valid client flight nothing can succeed: a typed failure comes out.
        assertTrue(!server.value().isOk() || afterHello, () -> "unexpected success: " + server.value());
        assertTrue(pipe[1].sent().size() <= 8192, "server sent " + pipe[1].sent().size() + " bytes");
    }
}
