package jmirage.http.h2;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.Unit;
import jmirage.http.HttpResponse;
import jmirage.http.server.ServerConfig;
import jmirage.sim.MemoryFlow;
import jmirage.sim.Simulation;

/**
 * Any bytes after the connection preface, then the end of the client's stream: the connection
 * answers what it can, never throws, and ends.
 */
class Http2ConnectionFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void anyFramesEndTheConnectionWithoutAnException(byte[] data) {
        Simulation sim = new Simulation(1, Instant.parse("2027-01-01T00:00:00Z"));
        MemoryFlow[] ends = MemoryFlow.pair(sim.scheduler());
        Promise<Unit> ended = Promise.pending();
        new Http2Connection(ends[1], ServerConfig.defaults(), request -> Promise.resolved(HttpResponse.text(200, request.body().toUtf8())),
                sim.scheduler(), sim.log("h2", LogLevel.ERROR), () -> ended.resolve(Unit.UNIT)).start();
        sim.await(ends[0].write(Http2Connection.PREFACE.concat(Bytes.of(data))));
        sim.await(ends[0].shutdownOutput());
        sim.await(ended);
        assertTrue(sim.records().stream().noneMatch(r -> r.level() == LogLevel.ERROR), sim.records().toString());
    }
}
