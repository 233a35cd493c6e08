package jmirage.tls;

import jmirage.sim.MemoryFlow;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.FlowError;
import jmirage.core.net.ReadResult;
import jmirage.sim.SeededRandom;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualClock;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.PeerName;

/**
 * Arbitrary record bytes into an established server TlsFlow (after a real TLS 1.3 or 1.2
 * handshake), cut into fuzzed pieces: every read ends in data, EOF or a typed FlowError, and no
 * exception escapes.
 */
class TlsAppDataFuzzTest {

    private static final TestPki PKI = TestPki.create(KeyType.EC_P256, new SeededRandom(4), VirtualClock.DEFAULT_START);

    @FuzzTest(maxDuration = "20s")
    void recordsAfterTheHandshakeGiveTypedResults(FuzzedDataProvider data) {
        int piece = data.consumeInt(1, 4096);
        byte[] input = data.consumeRemainingAsBytes();

        Simulation sim = new Simulation(5);
        TlsDevices devices = new TlsDevices(sim.scheduler(), sim.clock(), sim.random());
        MemoryFlow[] pipe = MemoryFlow.pair(sim.scheduler());
        Promise<Result<TlsFlow, TlsFailure>> server = TlsFlow.accept(pipe[1], TlsServerConfig.of(PKI.server()), devices);
        Promise<Result<TlsFlow, TlsFailure>> client = TlsFlow.connect(pipe[0],
                TlsClientConfig.of(List.of(PKI.ca()), new PeerName.Dns("localhost")), devices);
        sim.scheduler().runUntil(client);
        TlsFlow s = sim.scheduler().runUntil(server).value().orElseThrow();
        for (int from = 0; from < input.length; from += piece) {
            pipe[0].write(Bytes.of(input, from, Math.min(piece, input.length - from)));
        }
        pipe[0].shutdownOutput();
        sim.scheduler().runUntilIdle(1_000_000);
        for (int reads = 0; reads < 10_000; reads++) {
            Promise<Result<ReadResult, FlowError>> r = s.read();
            sim.scheduler().runUntilIdle(1_000_000);
            sim.scheduler().runFor(Duration.ofSeconds(1));
            assertTrue(r.isDone(), "a read ends once the input is exhausted");
            assertTrue(r.isResolved(), () -> "no exception escapes: " + r);
            if (!(r.value() instanceof Result.Ok<ReadResult, FlowError>(ReadResult.Data d))) {
                return;
            }
        }
        throw new AssertionError("reads never ended");
    }
}
