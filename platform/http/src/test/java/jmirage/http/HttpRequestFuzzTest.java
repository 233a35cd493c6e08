package jmirage.http;

import jmirage.sim.MemoryFlow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.RecordingLog;
import jmirage.http.server.HttpServer;
import jmirage.http.server.ServerConfig;
import jmirage.sim.SimScheduler;
import jmirage.sim.VirtualClock;

/**
 * Arbitrary bytes into the server side of a connection, cut into pieces of a fuzzed size: the
 * server answers with HTTP/1.1 responses (4xx for what it cannot accept) or closes; no exception
 * escapes, the connection always ends, and what it sends stays in proportion to what it got.
 */
class HttpRequestFuzzTest {

    private static final ServerConfig CONFIG = ServerConfig.defaults()
            .withLimits(512, 2048, 4096)
            .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5));

    @FuzzTest(maxDuration = "20s")
    void arbitraryBytesGetAnswersOrAClose(FuzzedDataProvider data) {
        int piece = data.consumeInt(1, 2048);
        byte[] input = data.consumeRemainingAsBytes();

        VirtualClock clock = new VirtualClock(VirtualClock.DEFAULT_START);
        SimScheduler scheduler = new SimScheduler(clock);
        RecordingLog log = new RecordingLog("fuzz", LogLevel.ERROR, clock, record -> {
            throw new AssertionError("error logged: " + record.format());
        });
        // The answer describes the body rather than echoing it, so text the fuzzer puts in a body
        // (say "HTTP/1.1 500") cannot pass for a status line in the checks below.
        HttpServer server = new HttpServer(scheduler, clock, log, CONFIG,
                request -> Promise.resolved(HttpResponse.text(200, "body of " + request.body().size()
                        + " bytes, hash " + Integer.toHexString(request.body().hashCode()) + "\n")));
        MemoryFlow[] ends = MemoryFlow.pair(scheduler);
        MemoryFlow client = ends[0];
        server.serve(ends[1]);
        for (int from = 0; from < input.length; from += piece) {
            client.write(Bytes.of(input, from, Math.min(piece, input.length - from)));
        }
        client.shutdownOutput();
        scheduler.runUntilIdle(1_000_000);
        scheduler.runFor(Duration.ofMinutes(2));
        scheduler.runUntilIdle(1_000_000);

        assertEquals(0, server.openConnections(), "the connection ended");
        Bytes answer = ends[1].sent();
        String text = new String(answer.toArray(), StandardCharsets.ISO_8859_1);
        assertTrue(answer.isEmpty() || text.startsWith("HTTP/1.1 "), text);
        assertFalse(text.contains("HTTP/1.1 500"), text);
        // Each answer costs at most a few hundred bytes, and each needs a request of a few bytes at least.
        assertTrue(answer.size() <= 4096 + 64L * input.length, "answered " + answer.size() + " bytes to " + input.length);
    }
}
