package jmirage.openvpn.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import jmirage.core.Bytes;
import jmirage.core.Result;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Round trips of every control-channel wrapping and of the data and TCP framings; any changed byte is refused. */
class WirePropertiesTest {

    static final StaticKey KEY = new StaticKey(Bytes.adopt(counting(256)));

    static byte[] counting(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + 3);
        }
        return b;
    }

    @Provide
    Arbitrary<ControlPacket> packets() {
        Arbitrary<Long> ids = Arbitraries.longs().between(0, PacketIds.MAX);
        Arbitrary<SessionId> sids = Arbitraries.longs().map(SessionId::new);
        Arbitrary<Acks> acks = Combinators.combine(ids.list().ofMaxSize(Acks.MAX), sids).as(Acks::of);
        Arbitrary<Bytes> payloads = Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(Bytes::of);
        Arbitrary<Opcode> reliable = Arbitraries.of(Opcode.values()).filter(Opcode::isReliable);
        Arbitrary<ControlPacket> messages = Combinators.combine(reliable, Arbitraries.integers().between(0, 7), sids, acks, ids, payloads)
                .as(ControlPacket.Message::new);
        Arbitrary<ControlPacket> bareAcks = Combinators.combine(Arbitraries.integers().between(0, 7), sids,
                        Combinators.combine(ids.list().ofMinSize(1).ofMaxSize(Acks.MAX), sids).as(Acks::of))
                .as(ControlPacket.Ack::new);
        return Arbitraries.oneOf(messages, bareAcks);
    }

    @Provide
    Arbitrary<ControlWrap[]> wrapPairs() {
        TlsCryptV2ClientKey v2 = new TlsCryptV2ClientKey(KEY, Bytes.of(new byte[] {9, 9, 9, 0, 5}));
        ControlWrap.TlsCrypt v2Client = ControlWrap.TlsCrypt.client(v2);
        return Arbitraries.of(
                new ControlWrap[] {new ControlWrap.Plain(), new ControlWrap.Plain()},
                new ControlWrap[] {ControlWrap.TlsAuth.of(KEY, KeyDirection.INVERSE, Digest.SHA1), ControlWrap.TlsAuth.of(KEY, KeyDirection.NORMAL, Digest.SHA1)},
                new ControlWrap[] {ControlWrap.TlsAuth.of(KEY, KeyDirection.BIDIRECTIONAL, Digest.SHA512), ControlWrap.TlsAuth.of(KEY, KeyDirection.BIDIRECTIONAL, Digest.SHA512)},
                new ControlWrap[] {ControlWrap.TlsCrypt.client(KEY), ControlWrap.TlsCrypt.of(KEY, KeyDirection.NORMAL)},
                new ControlWrap[] {v2Client, ControlWrap.TlsCrypt.of(KEY, KeyDirection.NORMAL)});
    }

    @Property
    void everyWrappingRoundTrips(@ForAll("packets") ControlPacket packet, @ForAll("wrapPairs") ControlWrap[] pair,
            @ForAll @IntRange(min = 0) int pid, @ForAll @IntRange(min = 0) int time) {
        Assume.that(!packet.opcode().carriesWrappedClientKey() || !(pair[0] instanceof ControlWrap.TlsCrypt c) || c.wrappedClientKey().isPresent());
        ReplayStamp stamp = new ReplayStamp(pid, time);
        Bytes wire = pair[0].wrap(packet, stamp);
        ControlWrap.Unwrapped back = pair[1].unwrap(wire).orElseThrow();
        assertEquals(packet, back.packet());
        if (!(pair[0] instanceof ControlWrap.Plain)) {
            assertEquals(Optional.of(stamp), back.stamp());
        }
    }

    @Property
    void aChangedByteDoesNotAuthenticate(@ForAll("packets") ControlPacket packet, @ForAll("wrapPairs") ControlWrap[] pair,
            @ForAll @IntRange(min = 0, max = 10_000) int where, @ForAll @IntRange(min = 1, max = 255) int flip) {
        Assume.that(!(pair[0] instanceof ControlWrap.Plain));
        Assume.that(!packet.opcode().carriesWrappedClientKey() || !(pair[0] instanceof ControlWrap.TlsCrypt c) || c.wrappedClientKey().isPresent());
        byte[] wire = pair[0].wrap(packet, new ReplayStamp(1, 2)).toArray();
        int at = where % wire.length;
        // WKc is the server's to authenticate (its own key wraps it); the client's key covers everything else, and WKc's length.
        int wkc = packet.opcode().carriesWrappedClientKey() && pair[0] instanceof ControlWrap.TlsCrypt c
                ? c.wrappedClientKey().orElseThrow().size() : 0;
        Assume.that(at < wire.length - wkc || at >= wire.length - 2);
        wire[at] ^= (byte) flip;
        Result<ControlWrap.Unwrapped, WireError> back = pair[1].unwrap(Bytes.of(wire));
        assertFalse(back.isOk(), "byte " + at + " changed and still accepted");
    }

    @Property
    void tcpFramingReassemblesAnySplit(@ForAll @Size(max = 10) List<@Size(min = 1, max = 200) byte[]> packets,
            @ForAll @IntRange(min = 1, max = 50) int chunk) {
        Bytes stream = Bytes.EMPTY;
        List<Bytes> expected = new ArrayList<>();
        for (byte[] p : packets) {
            expected.add(Bytes.of(p));
            stream = stream.concat(TcpFraming.frame(Bytes.of(p)));
        }
        TcpFraming framing = TcpFraming.EMPTY;
        List<Bytes> got = new ArrayList<>();
        for (int at = 0; at < stream.size(); at += chunk) {
            TcpFraming.Fed fed = framing.feed(stream.slice(at, Math.min(stream.size(), at + chunk))).orElseThrow();
            got.addAll(fed.packets());
            framing = fed.next();
        }
        assertEquals(expected, got);
        assertTrue(framing.pending().isEmpty());
    }

    @Property
    void dataPacketHeadersRoundTrip(@ForAll @IntRange(min = 0, max = 7) int keyId, @ForAll @IntRange(min = -1, max = 0xffffff) int peerId,
            @ForAll @Size(max = 100) byte[] body) {
        DataPacket p = new DataPacket(keyId, peerId < 0 ? OptionalInt.empty() : OptionalInt.of(peerId), Bytes.of(body));
        assertEquals(p, DataPacket.decode(p.encode()).orElseThrow());
        assertTrue(DataPacket.isData(p.encode()));
    }

    @Property
    void staticKeysReadBackAsWritten(@ForAll @Size(value = 256) byte[] key) {
        StaticKey k = new StaticKey(Bytes.of(key));
        assertEquals(k, StaticKey.parse(k.format()).orElseThrow());
    }

    @Property
    void earlyNegotiationRoundTrips(@ForAll boolean resend) {
        EarlyNegotiation e = new EarlyNegotiation(resend);
        assertEquals(e, EarlyNegotiation.parse(e.encode()).orElseThrow());
    }
}
