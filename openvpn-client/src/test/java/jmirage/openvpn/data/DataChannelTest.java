package jmirage.openvpn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import jmirage.core.Bytes;
import jmirage.openvpn.keys.DataKeys;
import jmirage.openvpn.wire.DataPacket;
import jmirage.openvpn.wire.Opcode;
import jmirage.openvpn.wire.StaticKey;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class DataChannelTest {

    static final StaticKey MATERIAL = new StaticKey(Bytes.adopt(seq(256)));

    static byte[] seq(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 13 + 1);
        }
        return b;
    }

    static DataChannel[] pair(AeadCipher cipher, OptionalInt peerId) {
        DataKeys client = DataKeys.forClient(cipher, MATERIAL);
        DataKeys server = DataKeys.forServer(cipher, MATERIAL);
        return new DataChannel[] {
            new DataChannel(cipher, 2, peerId, client.send(), client.receive()),
            new DataChannel(cipher, 2, peerId, server.send(), server.receive())
        };
    }

    @Property(tries = 300)
    void everyCipherRoundTripsBothWays(@ForAll AeadCipher cipher, @ForAll @Size(max = 1500) byte[] payload, @ForAll boolean v2) {
        DataChannel[] p = pair(cipher, v2 ? OptionalInt.of(7) : OptionalInt.empty());
        Bytes sent = p[0].encrypt(Bytes.of(payload)).orElseThrow();
        assertEquals(1 + (v2 ? 3 : 0) + 4 + 16 + payload.length, sent.size(), "header, packet id, tag, ciphertext");
        DataPacket onTheWire = DataPacket.decode(sent).orElseThrow();
        assertEquals(Bytes.of(payload), p[1].decrypt(onTheWire).orElseThrow());
        DataPacket back = DataPacket.decode(p[1].encrypt(Bytes.of(payload)).orElseThrow()).orElseThrow();
        assertEquals(Bytes.of(payload), p[0].decrypt(back).orElseThrow());
    }

    /**
     * The packet encrypted in place in one array is the JCA's plain seal of the same packet (a fresh
     * output, ciphertext then tag) laid out as OpenVPN does: header, packet id, tag, ciphertext; the
     * additional data the header and the packet id; the nonce the packet id and the implicit IV.
     */
    @Property(tries = 300)
    void theInPlacePacketIsTheJcaSealInOpenVpnsOrder(@ForAll AeadCipher cipher, @ForAll @Size(max = 1500) byte[] payload,
            @ForAll @IntRange(min = 1, max = 3) int nth) throws Exception {
        DataChannel[] p = pair(cipher, OptionalInt.of(7));
        Bytes wire = Bytes.EMPTY;
        for (int i = 0; i < nth; i++) {
            wire = p[0].encrypt(Bytes.of(payload)).orElseThrow();
        }
        DirectionKeys keys = DataKeys.forClient(cipher, MATERIAL).send();
        byte[] aad = {(byte) Opcode.DATA_V2.firstByte(2), 0, 0, 7, 0, 0, 0, (byte) nth};
        byte[] nonce = new byte[12];
        System.arraycopy(aad, 4, nonce, 0, 4);
        keys.implicitIv().copyTo(0, nonce, 4, 8);
        javax.crypto.Cipher jca = javax.crypto.Cipher.getInstance(cipher.transformation());
        jca.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(keys.key().toArray(), cipher.keyAlgorithm()),
                cipher == AeadCipher.CHACHA20_POLY1305 ? new javax.crypto.spec.IvParameterSpec(nonce)
                        : new javax.crypto.spec.GCMParameterSpec(128, nonce));
        jca.updateAAD(aad);
        byte[] sealed = jca.doFinal(payload);
        int ct = payload.length;
        Bytes expected = Bytes.of(aad).concat(Bytes.of(sealed, ct, 16)).concat(Bytes.of(sealed, 0, ct));
        assertEquals(expected, wire);
    }

    @Property(tries = 200)
    void aChangedByteIsRefused(@ForAll AeadCipher cipher, @ForAll @Size(min = 1, max = 100) byte[] payload,
            @ForAll @IntRange(min = 0, max = 1000) int where, @ForAll @IntRange(min = 1, max = 255) int flip) {
        DataChannel[] p = pair(cipher, OptionalInt.of(7));
        byte[] wire = p[0].encrypt(Bytes.of(payload)).orElseThrow().toArray();
        int at = where % wire.length;
        wire[at] ^= (byte) flip;
        var decoded = DataPacket.decode(Bytes.of(wire));
        if (decoded.isOk()) {
            assertFalse(p[1].decrypt(decoded.orElseThrow()).isOk(), "byte " + at + " changed and accepted");
        }
    }

    @Test
    void aReplayIsRefusedAndPacketsOutOfOrderAreNot() {
        DataChannel[] p = pair(AeadCipher.AES_256_GCM, OptionalInt.of(1));
        DataPacket one = DataPacket.decode(p[0].encrypt(Bytes.utf8("one")).orElseThrow()).orElseThrow();
        DataPacket two = DataPacket.decode(p[0].encrypt(Bytes.utf8("two")).orElseThrow()).orElseThrow();
        assertEquals(Bytes.utf8("two"), p[1].decrypt(two).orElseThrow());
        assertEquals(Bytes.utf8("one"), p[1].decrypt(one).orElseThrow());
        assertEquals("packet id 1 refused: replayed",
                ((jmirage.core.Result.Err<Bytes, jmirage.openvpn.wire.WireError>) p[1].decrypt(one)).error().describe());
        assertTrue(Ping.isPing(p[1].decrypt(DataPacket.decode(p[0].encrypt(Ping.MAGIC).orElseThrow()).orElseThrow()).orElseThrow()));
    }

    @Property(tries = 300)
    void theReplayWindowAcceptsEachIdOnceWithinSixtyFour(@ForAll @Size(max = 300) List<@LongRange(min = 0, max = 400) Long> ids) {
        ReplayWindow w = ReplayWindow.EMPTY;
        Set<Long> seen = new HashSet<>();
        long highest = 0;
        for (long id : ids) {
            boolean expected = id > 0 && !seen.contains(id) && id > highest - ReplayWindow.SIZE;
            ReplayWindow.Verdict v = w.check(id);
            assertEquals(expected, v == ReplayWindow.Verdict.FRESH, "id " + id + " after highest " + highest + ": " + v);
            if (expected) {
                w = w.accept(id);
                seen.add(id);
                highest = Math.max(highest, id);
            }
        }
    }
}
