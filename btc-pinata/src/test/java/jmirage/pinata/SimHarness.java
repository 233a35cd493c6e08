package jmirage.pinata;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.kv.MemKv;
import jmirage.sim.MemoryFlow;
import jmirage.sim.Simulation;

/** One pinata shell (no listeners) in a simulation, fed flows directly: for byte-level cases and fuzzing. */
final class SimHarness {

    static final Instant START = Instant.parse("2027-01-01T00:00:00Z");

    final Simulation sim;
    final Bounty bounty;
    final byte[] secret;

    SimHarness(long seed) {
        sim = new Simulation(seed, START);
        Pinata.Devices devices = new Pinata.Devices(null, new MemKv(sim.clock()), sim.log("btc-pinata", LogLevel.DEBUG),
                sim.clock(), sim.scheduler(), sim.random(), new jmirage.core.metrics.Metrics());
        Pinata.Parameters p = new Pinata.Parameters();
        p.test = true;
        Secret s = Secret.of(Bytes.utf8(Pinata.TEST_SECRET)).orElseThrow();
        secret = Pinata.TEST_SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        bounty = new Bounty(devices, p, s, Pki.fromTestCa(sim.random(), START).orElseThrow(), Stats.EMPTY, true);
    }

    /** Starts an attempt on {@code role} over a memory pipe; returns the attacker's end. */
    MemoryFlow attempt(Role role) {
        MemoryFlow[] pipe = MemoryFlow.pair(sim.scheduler());
        bounty.attempt(role, pipe[1]);
        return pipe[0];
    }

    /** Everything the pinata wrote to the attacker's end (raw bytes). */
    static byte[] received(MemoryFlow attacker) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // the pinata's writes land in the attacker's inbox; drain what is there without waiting
        while (true) {
            var r = attacker.read();
            if (!r.isDone() || !(r.value() instanceof jmirage.core.Result.Ok<jmirage.core.net.ReadResult, jmirage.core.net.FlowError>(
                    jmirage.core.net.ReadResult.Data(Bytes b)))) {
                break;
            }
            out.writeBytes(b.toArray());
        }
        return out.toByteArray();
    }
}
