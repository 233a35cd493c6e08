package jmirage.authoritative.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import java.util.Optional;
import jmirage.authoritative.store.SampleZone;
import jmirage.authoritative.store.ZoneManagement;
import jmirage.authoritative.store.ZoneOptions;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.kv.Key;
import jmirage.core.net.Endpoint;
import jmirage.core.net.IpAddresses;
import jmirage.dns.DnsClass;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Type;
import jmirage.dns.server.Request;
import jmirage.dns.tsig.Tsig;
import jmirage.dns.tsig.TsigAlgorithm;
import jmirage.dns.tsig.TsigKey;
import jmirage.kv.MemKv;
import jmirage.sim.Simulation;
import org.junit.jupiter.api.Test;

/** A signed NOTIFY for one of our zones reloads the store; unsigned or wrongly signed ones change nothing. */
class NotifyHandlerTest {

    static final String NOTIFY_SECRET = "bm90aWZ5IGtleSBmb3IgdGhlIGhhbmRsZXIgdGVzdA==";
    final Simulation sim = new Simulation(3);

    <T> T run(Promise<T> p) {
        return sim.scheduler().runUntil(p).value();
    }

    int rcode(ZoneManagement zm, Name zone, Optional<TsigKey> key) {
        Message m = new Message(new Header(9, false, Header.NOTIFY, true, false, false, false, false, false, false, 0),
                List.of(new Question(zone, Type.SOA, DnsClass.IN)), List.of(), List.of(), List.of(), Optional.empty());
        Bytes wire = key.map(k -> Tsig.signRequest(m, k, sim.clock().now(), 300).wire()).orElseGet(() -> MessageCodec.encode(m));
        Endpoint from = new Endpoint(IpAddresses.parse("192.0.2.9").orElseThrow(), 53);
        Request r = new Request(MessageCodec.decode(wire).orElseThrow(), wire, from, from, Request.Transport.UDP, 512,
                sim.clock().now());
        List<Bytes> answer = run(zm.handler(Optional.empty()).handle(r));
        Message back = MessageCodec.decode(answer.getFirst()).orElseThrow();
        assertTrue(back.header().qr());
        assertEquals(Header.NOTIFY, back.header().opcode());
        return back.header().rcode();
    }

    @Test
    void onlyASignedNotifyReloads() {
        MemKv kv = new MemKv(sim.clock());
        run(kv.set(Key.of("example.test"), Bytes.utf8(SampleZone.ZONE)));
        run(kv.set(Key.of("_keys"), Bytes.utf8(SampleZone.KEYS + "ops._notify.example.test. DNSKEY 0 3 163 " + NOTIFY_SECRET + "\n")));
        ZoneOptions options = new ZoneOptions();
        options.pollSeconds = 0; // no polling: only a NOTIFY reloads
        ZoneManagement zm = run(ZoneManagement.start(kv, Optional.empty(), null, sim.scheduler(), sim.clock(), sim.random(),
                sim.log("dns", LogLevel.INFO), options)).orElseThrow();
        Name zone = Name.of("example.test.");
        run(kv.set(Key.of("example.test"), Bytes.utf8(SampleZone.ZONE.replace("2026010101", "2026010102"))));
        TsigKey notify = new TsigKey(Name.of("ops._notify.example.test."), TsigAlgorithm.HMAC_SHA256,
                Bytes.of(Base64.getDecoder().decode(NOTIFY_SECRET)));
        TsigKey wrong = new TsigKey(notify.name(), TsigAlgorithm.HMAC_SHA256, Bytes.utf8("not the secret"));

        assertEquals(Header.REFUSED, rcode(zm, zone, Optional.empty()));
        assertEquals(Header.NOTAUTH, rcode(zm, zone, Optional.of(wrong)));
        assertEquals(Header.NOTAUTH, rcode(zm, Name.of("other.test."), Optional.of(notify)));
        sim.scheduler().runFor(java.time.Duration.ofSeconds(30));
        assertEquals(2026010101L, zm.zones().get(zone).orElseThrow().serial());

        assertEquals(Header.NOERROR, rcode(zm, zone, Optional.of(notify)));
        sim.scheduler().runFor(java.time.Duration.ofSeconds(1));
        assertEquals(2026010102L, zm.zones().get(zone).orElseThrow().serial());
        zm.stop();
    }
}
