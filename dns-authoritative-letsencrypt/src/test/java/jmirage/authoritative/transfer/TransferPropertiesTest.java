package jmirage.authoritative.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import jmirage.authoritative.keys.Keys;
import jmirage.authoritative.secondary.TransferReader;
import jmirage.authoritative.server.AuthoritativeCore;
import jmirage.authoritative.store.SampleZone;
import jmirage.authoritative.update.UpdateCore;
import jmirage.authoritative.zone.Zone;
import jmirage.authoritative.zone.Zones;
import jmirage.core.Bytes;
import jmirage.core.net.Endpoint;
import jmirage.core.net.IpAddresses;
import jmirage.core.net.IpPrefix;
import jmirage.dns.DnsClass;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.server.Request;
import jmirage.dns.tsig.Tsig;
import jmirage.dns.tsig.TsigAlgorithm;
import jmirage.dns.tsig.TsigKey;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * AXFR and IXFR streams as the handler writes them, read back by the secondary's reader: the same
 * zone comes out, whole or as increments over any older version the journal still covers, signed
 * as one TSIG stream.
 */
class TransferPropertiesTest {

    static final Name ORIGIN = Name.of("example.test.");
    static final Zone SAMPLE = Zone.parse(SampleZone.ZONE, ORIGIN).orElseThrow();
    static final Keys KEYS = Keys.parse(SampleZone.KEYS, Name.ROOT).orElseThrow();
    static final TsigKey XFR = new TsigKey(Name.of("test._transfer.example.test."), TsigAlgorithm.HMAC_SHA256,
            Bytes.of(Base64.getDecoder().decode(SampleZone.TEST_SECRET)));
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final Endpoint CLIENT = new Endpoint(IpAddresses.parse("192.0.2.200").orElseThrow(), 5353);
    static final Endpoint SERVER = new Endpoint(IpAddresses.parse("192.0.2.1").orElseThrow(), 53);

    /** The transfer path of the core, over a state holding {@code zone}. */
    interface Transfers {
        List<Bytes> answer(Request request);
    }

    static Transfers handler(Zone zone, Journal journal, List<IpPrefix> allowed) {
        Zones zones = Zones.of(List.of(zone));
        AuthoritativeCore.State state = new AuthoritativeCore.State(zones, zones, KEYS, journal,
                new AuthoritativeCore.Policy(allowed, java.util.Map.of(), Optional.empty()));
        return request -> AuthoritativeCore.transfer(state, request).replies();
    }

    record Sent(Request request, Bytes mac) {}

    static Sent request(int qtype, Optional<Zone> have, boolean signed, Request.Transport transport) {
        Message q = new Message(new Header(77, false, Header.QUERY, false, false, false, false, false, false, false, 0),
                List.of(new Question(ORIGIN, qtype, DnsClass.IN)), List.of(),
                have.map(z -> z.soaSet().records()).orElse(List.of()), List.of(), Optional.empty());
        Bytes wire;
        Bytes mac = Bytes.EMPTY;
        if (signed) {
            Tsig.Signed s = Tsig.signRequest(q, XFR, NOW, 300);
            wire = s.wire();
            mac = s.mac();
        } else {
            wire = MessageCodec.encode(q);
        }
        return new Sent(new Request(MessageCodec.decode(wire).orElseThrow(), wire, CLIENT, SERVER, transport,
                transport == Request.Transport.TCP ? 65535 : 512, NOW), mac);
    }

    /** Reads the messages as the secondary does: the TSIG stream verified, records into the reader. */
    static TransferReader.Outcome read(List<Bytes> messages, Sent sent, Optional<Zone> have) {
        TransferReader reader = new TransferReader(ORIGIN, have);
        Tsig.Stream stream = null;
        for (Bytes b : messages) {
            Message m;
            if (stream == null) {
                Tsig.Verified v = Tsig.verifyResponse(b, XFR, NOW, sent.mac()).orElseThrow();
                stream = Tsig.Stream.after(XFR, v.mac());
                m = v.message();
            } else {
                Tsig.StreamStep step = Tsig.verifyNext(stream, b, NOW).orElseThrow();
                assertTrue(step.signed(), "every message is signed");
                stream = step.next();
                m = step.message();
            }
            assertEquals(Header.NOERROR, m.header().rcode());
            reader.feed(m.answers());
            reader.endOfMessage();
        }
        assertTrue(reader.done());
        return reader.outcome().orElseThrow();
    }

    @Provide
    Arbitrary<List<Integer>> edits() {
        return Arbitraries.integers().between(0, 400).list().ofMinSize(1).ofMaxSize(12);
    }

    /** Versions of the sample zone: each edit adds (or, for odd numbers, removes) a few records. */
    static List<Zone> versions(List<Integer> edits) {
        List<Zone> out = new ArrayList<>(List.of(SAMPLE));
        for (int e : edits) {
            Zone z = out.getLast();
            List<Record> change = new ArrayList<>();
            for (int k = 0; k < 1 + e % 40; k++) {
                Name n = Name.of("h" + (e + k) % 60 + ".example.test.");
                Rdata.A a = new Rdata.A((Inet4Address) IpAddresses.parse("198.51.100." + (e * 7 + k) % 200).orElseThrow());
                change.add(e % 2 == 0 ? Record.in(n, 300, a) : new Record(n, DnsClass.ANY, 0, new Rdata.Empty(Type.A)));
            }
            Message u = new Message(new Header(1, false, Header.UPDATE, false, false, false, false, false, false, false, 0),
                    List.of(new Question(ORIGIN, Type.SOA)), List.of(), change, List.of(), Optional.empty());
            var o = UpdateCore.apply(z, u);
            Zone next = assertInstanceOf(UpdateCore.Outcome.Applied.class, o).zone();
            if (next.serial() != z.serial()) {
                out.add(next);
            }
        }
        return out;
    }

    @Property(tries = 60)
    void anAxfrReadsBackAsTheSameZone(@ForAll("edits") List<Integer> edits) {
        Zone zone = versions(edits).getLast();
        Sent sent = request(Type.AXFR, Optional.empty(), true, Request.Transport.TCP);
        List<Bytes> messages = handler(zone, Journal.EMPTY, List.of()).answer(sent.request());
        assertTrue(messages.stream().allMatch(m -> m.size() <= 65535));
        TransferReader.Outcome.Full full = assertInstanceOf(TransferReader.Outcome.Full.class, read(messages, sent, Optional.empty()));
        assertEquals(zone, full.zone());
    }

    @Property(tries = 60)
    void anIxfrFromAnyJournaledVersionGivesTheLatestZone(@ForAll("edits") List<Integer> edits,
            @ForAll("edits") List<Integer> pick) {
        List<Zone> versions = versions(edits);
        Journal journal = Journal.EMPTY;
        for (int i = 1; i < versions.size(); i++) {
            journal = journal.record(versions.get(i - 1), versions.get(i));
        }
        Zone latest = versions.getLast();
        Zone have = versions.get(pick.getFirst() % versions.size());
        Sent sent = request(Type.IXFR, Optional.of(have), true, Request.Transport.TCP);
        TransferReader.Outcome o = read(handler(latest, journal, List.of()).answer(sent.request()), sent, Optional.of(have));
        Zone got = switch (o) {
            case TransferReader.Outcome.UpToDate u -> have;
            case TransferReader.Outcome.Full f -> f.zone();
            case TransferReader.Outcome.Incremental inc -> inc.zone();
        };
        assertEquals(latest, got);
        if (have.serial() != latest.serial()) {
            assertInstanceOf(TransferReader.Outcome.Incremental.class, o, "the journal covers every version");
        }
    }

    @Test
    void ixfrFallsBackToAxfrWithoutJournalAndUdpGetsTheSoaAlone() {
        List<Zone> versions = versions(List.of(2, 4));
        Zone latest = versions.getLast();
        Sent sent = request(Type.IXFR, Optional.of(SAMPLE), true, Request.Transport.TCP);
        assertInstanceOf(TransferReader.Outcome.Full.class,
                read(handler(latest, Journal.EMPTY, List.of()).answer(sent.request()), sent, Optional.of(SAMPLE)));
        Sent upToDate = request(Type.IXFR, Optional.of(latest), true, Request.Transport.TCP);
        assertInstanceOf(TransferReader.Outcome.UpToDate.class,
                read(handler(latest, Journal.EMPTY, List.of()).answer(upToDate.request()), upToDate, Optional.of(latest)));
        Sent udp = request(Type.IXFR, Optional.of(SAMPLE), true, Request.Transport.UDP);
        List<Bytes> one = handler(latest, Journal.EMPTY, List.of()).answer(udp.request());
        assertEquals(1, one.size());
        Message m = Tsig.verifyResponse(one.getFirst(), XFR, NOW, udp.mac()).orElseThrow().message();
        assertEquals(latest.soaSet().records(), m.answers());
        Sent udpAxfr = request(Type.AXFR, Optional.empty(), true, Request.Transport.UDP);
        assertEquals(Header.REFUSED, MessageCodec.decode(handler(latest, Journal.EMPTY, List.of()).answer(udpAxfr.request())
                .getFirst()).orElseThrow().header().rcode());
    }

    @Test
    void withoutAKeyOnlyAllowedAddressesTransfer() {
        Sent plain = request(Type.AXFR, Optional.empty(), false, Request.Transport.TCP);
        List<Bytes> refused = handler(SAMPLE, Journal.EMPTY, List.of()).answer(plain.request());
        assertEquals(Header.REFUSED, MessageCodec.decode(refused.getFirst()).orElseThrow().header().rcode());
        List<IpPrefix> lan = List.of(IpPrefix.parse("192.0.2.0/24").orElseThrow());
        List<Bytes> allowed = handler(SAMPLE, Journal.EMPTY, lan).answer(plain.request());
        Message first = MessageCodec.decode(allowed.getFirst()).orElseThrow();
        assertEquals(Header.NOERROR, first.header().rcode());
        assertTrue(first.header().aa());
        // a zone not served: NOTAUTH
        Zone other = Zone.parse(SampleZone.ZONE.replace("example.test.", "other.test."), Name.of("other.test.")).orElseThrow();
        List<Bytes> notOurs = handler(other, Journal.EMPTY, lan).answer(plain.request());
        assertEquals(Header.NOTAUTH, MessageCodec.decode(notOurs.getFirst()).orElseThrow().header().rcode());
    }

    @Test
    void aLargeZoneGoesInSeveralSignedMessages() {
        List<Record> records = new ArrayList<>(SAMPLE.records());
        for (int i = 0; i < 3000; i++) {
            records.add(Record.in(Name.of("bulk" + i + ".example.test."), 300,
                    new Rdata.Txt(List.of(Bytes.utf8("record number " + i + " with some text to make it longer")))));
        }
        Zone big = Zone.of(ORIGIN, records).orElseThrow();
        Sent sent = request(Type.AXFR, Optional.empty(), true, Request.Transport.TCP);
        List<Bytes> messages = handler(big, Journal.EMPTY, List.of()).answer(sent.request());
        assertTrue(messages.size() > 5, "messages: " + messages.size());
        assertEquals(big, ((TransferReader.Outcome.Full) read(messages, sent, Optional.empty())).zone());
    }
}
