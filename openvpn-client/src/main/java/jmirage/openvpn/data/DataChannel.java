package jmirage.openvpn.data;

import java.security.GeneralSecurityException;
import java.util.Objects;
import java.util.OptionalInt;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.openvpn.wire.DataPacket;
import jmirage.openvpn.wire.PacketIds;
import jmirage.openvpn.wire.WireError;

/**
 * One key's data channel, as OpenVPN 2.6 frames AEAD packets (crypto.c openvpn_encrypt_aead and
 * openvpn_decrypt_aead): {@code header | packet id | tag | ciphertext}, where the header is the
 * opcode byte (and for P_DATA_V2 the 3-byte peer id), the nonce is the 4-byte packet id followed by
 * the direction's 8-byte implicit IV, and the additional data is the header and the packet id.
 *
 * <p>This is a hot path: it keeps its JCA ciphers, its send counter and its replay window in
 * fields, and is used from the event loop only.
 */
public final class DataChannel {

    /** packet_id.h PACKET_ID_WRAP_TRIGGER: past this send id, renegotiate before the id can repeat. */
    public static final long WRAP_TRIGGER = 0xff00_0000L;

    private final AeadCipher cipher;
    private final int keyId;
    private final OptionalInt peerId;
    private final DirectionKeys send;
    private final DirectionKeys receive;
    private final Cipher encryptor;
    private final Cipher decryptor;
    private final SecretKeySpec sendKey;
    private final SecretKeySpec receiveKey;
    private long lastSent;
    private ReplayWindow window = ReplayWindow.EMPTY;

    public DataChannel(AeadCipher cipher, int keyId, OptionalInt peerId, DirectionKeys send, DirectionKeys receive) {
        this.cipher = Objects.requireNonNull(cipher);
        if (send.key().size() != cipher.keySize() || receive.key().size() != cipher.keySize()) {
            throw new IllegalArgumentException(cipher + " takes keys of " + cipher.keySize() + " bytes");
        }
        this.keyId = keyId;
        this.peerId = peerId;
        this.send = send;
        this.receive = receive;
        this.sendKey = new SecretKeySpec(send.key().toArray(), cipher.keyAlgorithm());
        this.receiveKey = new SecretKeySpec(receive.key().toArray(), cipher.keyAlgorithm());
        try {
            this.encryptor = Cipher.getInstance(cipher.transformation());
            this.decryptor = Cipher.getInstance(cipher.transformation());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(cipher + " is missing from this JDK", e);
        }
    }

    public AeadCipher cipher() {
        return cipher;
    }

    public int keyId() {
        return keyId;
    }

    /** Whether the send counter is close enough to wrapping that the key must be renegotiated now. */
    public boolean needsRenegotiation() {
        return lastSent >= WRAP_TRIGGER;
    }

    /**
     * The data packet carrying {@code plaintext}, as the link carries it ({@link DataPacket#decode}
     * reads it); an error once every packet id has been used (the key must never send twice with one id).
     *
     * <p>One array and one pass: the plaintext is copied once to where the ciphertext goes and
     * encrypted in place; header and packet id, contiguous, are the additional data; the tag the JCA
     * gives after the ciphertext is moved before it (OpenVPN's order). Per packet this replaced four
     * copies of the datagram (BENCHMARKS.md, openvpn-client, 2026-12-07).
     */
    public Result<Bytes, WireError> encrypt(Bytes plaintext) {
        if (lastSent == PacketIds.MAX) {
            return Result.err(new WireError("packet id would wrap: renegotiate the key"));
        }
        long id = ++lastSent;
        byte[] header = new DataPacket(keyId, peerId, Bytes.EMPTY).header();
        int aad = header.length + 4;
        int at = aad + AeadCipher.TAG_SIZE;
        int n = plaintext.size();
        byte[] out = new byte[at + n];
        System.arraycopy(header, 0, out, 0, header.length);
        byte[] pid = idBytes(id);
        System.arraycopy(pid, 0, out, header.length, 4);
        plaintext.copyTo(0, out, at, n);
        try {
            encryptor.init(Cipher.ENCRYPT_MODE, sendKey, spec(nonce(pid, send)));
            encryptor.updateAAD(out, 0, aad);
            int done = encryptor.update(out, at, n, out, at);
            byte[] rest = new byte[encryptor.getOutputSize(0)];
            int last = encryptor.doFinal(rest, 0);
            if (done + last != n + AeadCipher.TAG_SIZE) {
                throw new IllegalStateException(cipher + " gave " + (done + last) + " bytes for " + n);
            }
            System.arraycopy(rest, 0, out, at + done, last - AeadCipher.TAG_SIZE);
            System.arraycopy(rest, last - AeadCipher.TAG_SIZE, out, aad, AeadCipher.TAG_SIZE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encrypting with " + cipher, e);
        }
        return Result.ok(Bytes.adopt(out));
    }

    /** The plaintext of {@code packet}, once: a forged, corrupted, replayed or too old packet is an error. */
    public Result<Bytes, WireError> decrypt(DataPacket packet) {
        Bytes body = packet.encrypted();
        if (body.size() < 4 + AeadCipher.TAG_SIZE) {
            return Result.err(new WireError("data packet of " + body.size() + " bytes after its header, shorter than packet id and tag"));
        }
        byte[] pid = body.slice(0, 4).toArray();
        long id = (pid[0] & 0xffL) << 24 | (pid[1] & 0xffL) << 16 | (pid[2] & 0xffL) << 8 | (pid[3] & 0xffL);
        ReplayWindow.Verdict verdict = window.check(id);
        if (verdict != ReplayWindow.Verdict.FRESH) {
            return Result.err(new WireError("packet id " + id + " refused: " + verdict.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')));
        }
        int ct = body.size() - 4 - AeadCipher.TAG_SIZE;
        byte[] sealed = new byte[ct + AeadCipher.TAG_SIZE];
        body.copyTo(4 + AeadCipher.TAG_SIZE, sealed, 0, ct);
        body.copyTo(4, sealed, ct, AeadCipher.TAG_SIZE);
        byte[] plain;
        try {
            decryptor.init(Cipher.DECRYPT_MODE, receiveKey, spec(nonce(pid, receive)));
            decryptor.updateAAD(packet.header());
            decryptor.updateAAD(pid);
            plain = decryptor.doFinal(sealed);
        } catch (AEADBadTagException e) {
            return Result.err(new WireError("data packet " + id + " does not authenticate"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("decrypting with " + cipher, e);
        }
        window = window.accept(id);
        return Result.ok(Bytes.adopt(plain));
    }

    private static byte[] idBytes(long id) {
        return new byte[] {(byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id};
    }

    private static byte[] nonce(byte[] pid, DirectionKeys keys) {
        byte[] nonce = new byte[AeadCipher.NONCE_SIZE];
        System.arraycopy(pid, 0, nonce, 0, 4);
        keys.implicitIv().copyTo(0, nonce, 4, DirectionKeys.IMPLICIT_IV_SIZE);
        return nonce;
    }

    private java.security.spec.AlgorithmParameterSpec spec(byte[] nonce) {
        return cipher == AeadCipher.CHACHA20_POLY1305 ? new IvParameterSpec(nonce) : new GCMParameterSpec(AeadCipher.TAG_SIZE * 8, nonce);
    }
}
