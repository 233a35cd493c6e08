package jmirage.resolver.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.RecordingLog;
import jmirage.core.Result;
import jmirage.core.kv.Key;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.Endpoint;
import jmirage.dns.DecodeError;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Question;
import jmirage.dns.server.Request;
import jmirage.dns.tsig.Tsig;
import jmirage.kv.MemKv;
import jmirage.sim.VirtualClock;

/**
 * Any update a key holder could send to a local zone: the fuzzer's bytes decoded as a message, made
 * an UPDATE of the zone and signed with the zone's key, so that the prerequisites and updates
 * themselves reach {@link jmirage.authoritative.update.UpdateCore} and the store. Whatever they hold:
 * one answer that decodes, for the request's ID, and the zone file in the store is always one the
 * next boot reads back as the zone served now (an update must never leave a file that stops the
 * resolver at its next start).
 */
class LocalUpdateFuzzTest {

    private final VirtualClock clock = new VirtualClock(Instant.parse("2026-12-08T00:00:00Z"));

    @FuzzTest(maxDuration = "20s")
    void anySignedUpdateIsAnsweredOnceAndLeavesAZoneFileThatLoads(byte[] input) throws Exception {
        if (!(MessageCodec.decode(Bytes.of(input)) instanceof Result.Ok<Message, DecodeError>(Message decoded))) {
            return;
        }
        Header h = decoded.header();
        Message update = new Message(new Header(h.id(), false, Header.UPDATE, false, false, false, false, false, false, false, 0),
                List.of(new Question(LocalUpdateTest.ZONE, jmirage.dns.Type.SOA)), decoded.answers(), decoded.authority(),
                List.of(), decoded.edns());
        Bytes wire = Tsig.signRequest(update, LocalUpdateTest.DHCP, clock.now(), Tsig.DEFAULT_FUDGE).wire();

        MemKv kv = new MemKv(clock);
        kv.set(Key.of("zones/retreat.lan"), Bytes.utf8(LocalUpdateTest.ZONE_TEXT)).value().orElseThrow();
        kv.set(Key.of("update-keys"), Bytes.utf8(LocalUpdateTest.KEYS)).value().orElseThrow();
        PolicyOptions options = new PolicyOptions();
        options.localZones.add("zones/retreat.lan");
        options.updateKeys.add("update-keys");
        RecordingLog log = new RecordingLog("fuzz", LogLevel.ERROR, clock, r -> { });
        PolicyShell shell = PolicyShell.start(kv, options, clock, log, new Metrics()).value().orElseThrow();

        Message parsed = MessageCodec.decode(wire).orElseThrow();
        Request request = new Request(parsed, wire, new Endpoint(InetAddress.ofLiteral("10.77.0.2"), 40000),
                new Endpoint(InetAddress.ofLiteral("10.77.0.1"), 53), Request.Transport.TCP, 65535, clock.now());
        List<Bytes> answers = shell.update(request).orElseThrow().value();
        assertEquals(1, answers.size());
        Message answer = MessageCodec.decode(answers.getFirst()).orElseThrow();
        assertEquals(h.id(), answer.header().id());
        assertTrue(answer.header().qr());

        var served = shell.current().localZone(LocalUpdateTest.ZONE).orElseThrow().zone();
        assertTrue(shell.reload().value().isOk(), () -> "the stored zone does not load: "
                + kv.get(Key.of("zones/retreat.lan")).value().orElseThrow().toUtf8());
        assertEquals(served, shell.current().localZone(LocalUpdateTest.ZONE).orElseThrow().zone(),
                "the zone read back is the zone served");
    }
}
