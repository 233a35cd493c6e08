package jmirage.resolver.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.Promise;
import jmirage.core.RecordingLog;
import jmirage.core.Result;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Key;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Record;
import jmirage.kv.MemKv;
import jmirage.sim.SimScheduler;
import jmirage.sim.VirtualClock;
import jmirage.resolver.validate.Rollover.State;
import org.junit.jupiter.api.Test;

class RolloverShellTest {

    static final Key STATE = Key.of("auto-trust-anchor");
    final SigningKey k1 = SigningKey.generate(new SecureRandom());
    final SigningKey k2 = SigningKey.generate(new SecureRandom());
    final VirtualClock clock = new VirtualClock(SigningKey.START);
    final SimScheduler scheduler = new SimScheduler(clock);
    final MemKv kv = new MemKv(clock);
    final List<LogRecord> lines = new ArrayList<>();
    final RecordingLog log = new RecordingLog("dns-resolver", LogLevel.INFO, clock, lines::add);
    final TrustAnchors configured = TrustAnchors.of(List.of(Record.in(Name.ROOT, 0, k1.key()))).orElseThrow();
    int probes;

    /** The root publishes k1 and k2, signed by k1, as authorities would answer a DNSKEY query. */
    KeyFetcher publishing() {
        List<Record> answer = SigningKey.answer(List.of(k1.key(), k2.key()), List.of(k1), List.of(k1.key()));
        return q -> {
            probes++;
            return Promise.resolved(Result.ok(new Message(new Header(1, true, 0, true, false, true, true, false, false, false, 0),
                    List.of(q), answer, List.of(), List.of(), Optional.empty())));
        };
    }

    RolloverShell load() {
        return RolloverShell.load(kv, STATE, configured, clock, log).value().orElseThrow();
    }

    @Test
    void probesRunOnTheirOwnAndTheNewKeyIsTrustedAfterTheHoldDownAndSurvivesARestart() {
        RolloverShell shell = load();
        List<TrustAnchors> told = new ArrayList<>();
        shell.start(publishing(), scheduler, told::add);
        scheduler.runFor(Duration.ofMinutes(1));
        assertEquals(1, probes);
        String written = kv.get(STATE).value().orElseThrow().toUtf8();
        assertTrue(written.contains("state=ADDPEND"), written);
        scheduler.runFor(Duration.ofDays(31));
        // RFC 5011 2.3: half the RRset's 3600 s TTL is below the floor of an hour, so one probe an hour
        assertEquals(1 + 31 * 24, probes);
        assertEquals(List.of(k1.key(), k2.key()), shell.anchors().getFirst().keys());
        assertEquals(List.of(Record.in(Name.ROOT, 0, k1.key()), Record.in(Name.ROOT, 0, k2.key())), told.getLast().at(Name.ROOT));
        assertEquals(told.getLast(), shell.trustAnchors());
        shell.stop();
        int before = probes;
        scheduler.runFor(Duration.ofDays(30));
        assertEquals(before, probes, "stopped");

        RolloverShell again = load();
        assertEquals(shell.trustPoints(), again.trustPoints(), "the file wins over the configured anchor");
        assertEquals(Optional.of(State.VALID), again.trustPoints().getFirst().key(k2.tag()).map(Rollover.Tracked::state));
    }

    @Test
    void aProbeThatChangesNothingWritesNothingAndAFailedOneIsRetried() {
        RolloverShell shell = load();
        KeyFetcher failing = q -> Promise.resolved(Result.err("timed out"));
        assertEquals(Duration.ofHours(1), shell.probe(Name.ROOT, failing, a -> { }).value());
        assertTrue(lines.getLast().message().contains("failed: timed out"));
        KeyFetcher onlyK1 = q -> Promise.resolved(Result.ok(new Message(Header.query(1), List.of(q),
                SigningKey.answer(List.of(k1.key()), List.of(k1), List.of(k1.key())), List.of(), List.of(), Optional.empty())));
        shell.probe(Name.ROOT, onlyK1, a -> { });
        assertTrue(kv.get(STATE).value() instanceof Result.Err, "nothing changed, nothing written");
    }

    @Test
    void aBrokenStateFileRefusesTheBootWithItsLine() {
        assertTrue(kv.set(STATE, Bytes.utf8("; kept by hand\n. 0 IN DNSKEY 257 3 15 AAAA ;; state=VALID\n")).value().isOk());
        var refused = RolloverShell.load(kv, STATE, configured, clock, log).value();
        assertEquals(List.of("auto-trust-anchor:2: bad key state ';; state=VALID' (state=STATE since=TIME)"),
                ((Result.Err<?, List<ConfigProblem>>) refused).error().stream().map(ConfigProblem::describe).toList());
        RolloverOptions options = new RolloverOptions();
        assertEquals(((Result.Err<?, List<ConfigProblem>>) refused).error(), RolloverShell.check(kv, options).value());
        options.stateKey = "";
        assertEquals(List.of(), RolloverShell.check(kv, options).value(), "updates off: the file is not read");
        options.stateKey = "a/../b";
        assertEquals("--auto-trust-anchor", RolloverShell.check(kv, options).value().getFirst().source());
    }
}
