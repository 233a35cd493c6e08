package jmirage.resolver.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
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
import jmirage.core.metrics.Metrics;
import jmirage.core.net.Endpoint;
import jmirage.dns.DnsClass;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rcode;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.client.Update;
import jmirage.dns.server.Request;
import jmirage.dns.tsig.Tsig;
import jmirage.dns.tsig.TsigAlgorithm;
import jmirage.dns.tsig.TsigKey;
import jmirage.kv.MemKv;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Resolve;
import jmirage.resolver.core.Security;
import jmirage.sim.VirtualClock;
import org.junit.jupiter.api.Test;

/**
 * Dynamic updates of the local zones (RFC 2136 with TSIG, RFC 8945), what a DHCP server sends for
 * its leases: through {@link PolicyShell#update} over a store in memory, each answer decoded and,
 * when signed, verified as the updating client would ({@link Update#answer}).
 */
class LocalUpdateTest {

    static final Bytes SECRET = Bytes.of(Base64.getDecoder().decode("3q2+7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
    static final TsigKey DHCP = new TsigKey(Name.of("dhcp._update.retreat.lan."), TsigAlgorithm.HMAC_SHA256, SECRET);
    static final Name ZONE = Name.of("retreat.lan.");
    static final String ZONE_TEXT = """
            $TTL 300
            @       SOA ns.retreat.lan. hostmaster.retreat.lan. 7 3600 600 86400 300
                    NS  ns.retreat.lan.
            ns      A   10.77.0.1
            """;
    static final String KEYS = """
            key "dhcp._update.retreat.lan" {
                algorithm hmac-sha256;
                secret "3q2+7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
            };
            """;

    final VirtualClock clock = new VirtualClock(Instant.parse("2026-12-08T00:00:00Z"));
    final MemKv kv = new MemKv(clock);
    final List<LogRecord> lines = new ArrayList<>();
    final Metrics metrics = new Metrics();
    final RecordingLog log = new RecordingLog("dns-resolver", LogLevel.INFO, clock, lines::add);
    final Resolve upstream = (q, cd) -> Promise.resolved(new Resolution(q, Header.NXDOMAIN, List.of(), List.of(), List.of(),
            Security.INSECURE, Optional.empty(), false));
    int nextId = 1;

    void put(String key, String text) {
        assertTrue(kv.set(Key.of(key), Bytes.utf8(text)).value().isOk());
    }

    String stored(String key) {
        return kv.get(Key.of(key)).value().orElseThrow().toUtf8();
    }

    PolicyShell shell(boolean withKeys) {
        put("zones/retreat.lan", ZONE_TEXT);
        put("update-keys", KEYS);
        PolicyOptions o = new PolicyOptions();
        o.localZones.add("zones/retreat.lan");
        if (withKeys) {
            o.updateKeys.add("update-keys");
        }
        return PolicyShell.start(kv, o, clock, log, metrics).value().orElseThrow();
    }

    static Record a(String name, String address) throws Exception {
        return Record.in(Name.of(name), 300, new Rdata.A((java.net.Inet4Address) InetAddress.getByName(address)));
    }

    Request request(Bytes wire) throws Exception {
        Message m = MessageCodec.decode(wire).orElseThrow();
        return new Request(m, wire, new Endpoint(InetAddress.getByName("10.77.0.2"), 40000),
                new Endpoint(InetAddress.getByName("10.77.0.1"), 53), Request.Transport.UDP, 65535, clock.now());
    }

    /** Sends a signed update, checks its answer's TSIG as a client does, returns its rcode. */
    Rcode send(PolicyShell shell, List<Record> remove, List<Record> add, TsigKey key) throws Exception {
        Update.Signed signed = Update.signed(nextId++, ZONE, remove, add, key, clock.now()).orElseThrow();
        Bytes answer = shell.update(request(signed.wire())).orElseThrow().value().getFirst();
        return switch (Update.answer(signed, answer, key, clock.now())) {
            case Result.Ok<?, ?> ok -> Rcode.NOERROR;
            case Result.Err<?, jmirage.dns.client.UpdateError>(var e) when e instanceof jmirage.dns.client.UpdateError.Rejected r ->
                    r.rcode();
            case Result.Err<?, jmirage.dns.client.UpdateError>(var e) ->
                    Rcode.of(MessageCodec.decode(answer).orElseThrow().header().rcode());
        };
    }

    Resolution resolve(PolicyShell shell, String name, int type) {
        return shell.around(upstream).resolve(new Question(Name.of(name), type), false).value();
    }

    @Test
    void aSignedUpdateIsStoredThenAnsweredAndServedAsLocalData() throws Exception {
        PolicyShell shell = shell(true);
        assertEquals(Header.NXDOMAIN, resolve(shell, "alice.retreat.lan.", Type.A).rcode());

        assertEquals(Rcode.NOERROR, send(shell, List.of(), List.of(a("alice.retreat.lan.", "10.77.0.100")), DHCP));

        Resolution r = resolve(shell, "alice.retreat.lan.", Type.A);
        assertEquals(Header.NOERROR, r.rcode());
        assertTrue(r.authoritative());
        assertEquals(List.of(a("alice.retreat.lan.", "10.77.0.100")), r.answer());
        String file = stored("zones/retreat.lan");
        assertTrue(file.contains("alice.retreat.lan.") && file.contains("10.77.0.100"), file);
        assertTrue(file.contains(" 8 3600 600 86400 300"), "the serial grew (RFC 2136 3.6): " + file);
        assertTrue(lines.stream().anyMatch(l -> l.message().equals(
                "update of retreat.lan. by dhcp._update.retreat.lan from 10.77.0.2, serial 8")), lines.toString());
        assertEquals(1, metrics.counter("jmirage_resolver_updates_total", "", "result").labels("applied").value());

        // the lease ends: the DHCP server removes its record
        assertEquals(Rcode.NOERROR, send(shell, List.of(a("alice.retreat.lan.", "10.77.0.100")), List.of(), DHCP));
        assertEquals(Header.NXDOMAIN, resolve(shell, "alice.retreat.lan.", Type.A).rcode());
        assertFalse(stored("zones/retreat.lan").contains("alice"));
    }

    @Test
    void aReloadReadsTheUpdatedFileAndARepeatedUpdateChangesNothing() throws Exception {
        PolicyShell shell = shell(true);
        Record alice = a("alice.retreat.lan.", "10.77.0.100");
        assertEquals(Rcode.NOERROR, send(shell, List.of(), List.of(alice), DHCP));
        String after = stored("zones/retreat.lan");
        assertEquals(Rcode.NOERROR, send(shell, List.of(), List.of(alice), DHCP), "adding a present record is a no-op (RFC 2136 3.4.2.2)");
        assertEquals(after, stored("zones/retreat.lan"), "nothing written for an update that changed nothing");
        assertEquals(1, metrics.counter("jmirage_resolver_updates_total", "", "result").labels("unchanged").value());

        assertTrue(shell.reload().value().isOk());
        assertEquals(List.of(alice), resolve(shell, "alice.retreat.lan.", Type.A).answer(), "the update survives a reload");
    }

    @Test
    void whatIsNotSignedByAKeyForTheZoneIsRefusedAndChangesNothing() throws Exception {
        PolicyShell shell = shell(true);
        Record mallory = a("mallory.retreat.lan.", "10.77.0.66");

        Message unsigned = Update.build(nextId++, ZONE, List.of(), List.of(mallory)).orElseThrow();
        Bytes answer = shell.update(request(MessageCodec.encode(unsigned))).orElseThrow().value().getFirst();
        assertEquals(Rcode.REFUSED.value(), MessageCodec.decode(answer).orElseThrow().header().rcode());

        TsigKey otherZone = new TsigKey(Name.of("dhcp._update.other.lan."), TsigAlgorithm.HMAC_SHA256, SECRET);
        put("update-keys", KEYS + "dhcp._update.other.lan. DNSKEY 0 3 163 3q2+7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
        assertTrue(shell.reload().value().isOk());
        assertEquals(Rcode.REFUSED, send(shell, List.of(), List.of(mallory), otherZone), "a key for another zone");

        TsigKey wrongSecret = new TsigKey(DHCP.name(), TsigAlgorithm.HMAC_SHA256, Bytes.utf8("not the secret at all"));
        assertEquals(Rcode.NOTAUTH, send(shell, List.of(), List.of(mallory), wrongSecret), "BADSIG (RFC 8945 5.2.2)");

        Update.Signed elsewhere = Update.signed(nextId++, Name.of("example.org."), List.of(),
                List.of(a("www.example.org.", "192.0.2.1")), DHCP, clock.now()).orElseThrow();
        Bytes notOurs = shell.update(request(elsewhere.wire())).orElseThrow().value().getFirst();
        assertEquals(Rcode.NOTAUTH.value(), MessageCodec.decode(notOurs).orElseThrow().header().rcode(), "RFC 2136 3.1.2");

        assertEquals(Header.NXDOMAIN, resolve(shell, "mallory.retreat.lan.", Type.A).rcode());
        assertEquals(ZONE_TEXT, stored("zones/retreat.lan"), "the file as the operator wrote it");
        assertEquals(4, metrics.counter("jmirage_resolver_updates_total", "", "result").labels("refused").value());
        assertTrue(lines.stream().anyMatch(l -> l.message().equals(
                "update from 10.77.0.2 for retreat.lan. refused: not signed")), lines.toString());
    }

    @Test
    void aFailedPrerequisiteGetsItsRcode() throws Exception {
        PolicyShell shell = shell(true);
        assertEquals(Rcode.NOERROR, send(shell, List.of(), List.of(a("alice.retreat.lan.", "10.77.0.100")), DHCP));
        // RFC 2136 2.4.3 "name is not in use" (class NONE, type ANY), as RFC 4703 5.3.1 has a DHCP server ask first
        Message m = Update.build(nextId++, ZONE, List.of(), List.of(a("alice.retreat.lan.", "10.77.0.101"))).orElseThrow();
        Message withPrerequisite = new Message(m.header(), m.questions(),
                List.of(new Record(Name.of("alice.retreat.lan."), DnsClass.NONE, 0, new Rdata.Opaque(Type.ANY, Bytes.EMPTY))),
                m.authority(), m.additional(), m.edns());
        Tsig.Signed signed = Tsig.signRequest(withPrerequisite, DHCP, clock.now(), Tsig.DEFAULT_FUDGE);
        Bytes answer = shell.update(request(signed.wire())).orElseThrow().value().getFirst();
        assertEquals(Rcode.YXDOMAIN.value(), MessageCodec.decode(answer).orElseThrow().header().rcode());
        assertEquals(List.of(a("alice.retreat.lan.", "10.77.0.100")), resolve(shell, "alice.retreat.lan.", Type.A).answer());
    }

    @Test
    void aZoneFileChangedInTheStoreIsNotOverwrittenUntilReloaded() throws Exception {
        PolicyShell shell = shell(true);
        String edited = ZONE_TEXT + "printer A 10.77.0.9\n";
        put("zones/retreat.lan", edited); // the operator's edit, not reloaded yet

        assertEquals(Rcode.SERVFAIL, send(shell, List.of(), List.of(a("alice.retreat.lan.", "10.77.0.100")), DHCP));
        assertEquals(edited, stored("zones/retreat.lan"), "the operator's edit is kept");
        assertTrue(lines.stream().anyMatch(l -> l.level() == LogLevel.WARN && l.message().endsWith(
                "zones/retreat.lan changed in the store since it was read (reload first: SIGHUP)")), lines.toString());

        assertTrue(shell.reload().value().isOk());
        assertEquals(Rcode.NOERROR, send(shell, List.of(), List.of(a("alice.retreat.lan.", "10.77.0.100")), DHCP));
        assertEquals(Header.NOERROR, resolve(shell, "printer.retreat.lan.", Type.A).rcode(), "the edit and the update, both");
        assertEquals(Header.NOERROR, resolve(shell, "alice.retreat.lan.", Type.A).rcode());
    }

    @Test
    void withoutUpdateKeysNoUpdateIsTakenAndABadKeysFileRefusesTheBoot() throws Exception {
        PolicyShell shell = shell(false);
        Update.Signed signed = Update.signed(nextId++, ZONE, List.of(), List.of(a("alice.retreat.lan.", "10.77.0.100")), DHCP,
                clock.now()).orElseThrow();
        assertTrue(shell.update(request(signed.wire())).isEmpty(), "the serving layer answers NOTIMP");

        put("update-keys", "key \"dhcp\" { algorithm hmac-sha256; secret \"3q2+7w==\"; };\n");
        PolicyOptions o = new PolicyOptions();
        o.localZones.add("zones/retreat.lan");
        o.updateKeys.add("update-keys");
        var refused = PolicyShell.start(kv, o, clock, log, metrics).value();
        assertEquals(List.of("update-keys: dhcp.: the key name has no _update, _transfer or _notify label"),
                ((Result.Err<?, List<ConfigProblem>>) refused).error().stream().map(ConfigProblem::describe).toList());
    }
}
