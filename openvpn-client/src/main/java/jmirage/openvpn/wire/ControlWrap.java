package jmirage.openvpn.wire;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;

/**
 * How control packets travel (ssl_pkt.c tls_wrap_control and read_control_auth): bare, with a
 * tls-auth HMAC, or encrypted and authenticated with tls-crypt (and tls-crypt-v2, which adds the
 * wrapped client key to the packets that open a session).
 */
public sealed interface ControlWrap {

    /** The packet on the wire; {@code stamp} is the replay protection tls-auth and tls-crypt add. */
    Bytes wrap(ControlPacket packet, ReplayStamp stamp);

    /** The packet and its replay stamp, or why the bytes are not one or do not authenticate. */
    Result<Unwrapped, WireError> unwrap(Bytes packet);

    record Unwrapped(ControlPacket packet, Optional<ReplayStamp> stamp) {}

    /** No wrapping: opcode, session id, body. */
    record Plain() implements ControlWrap {
        @Override
        public Bytes wrap(ControlPacket packet, ReplayStamp stamp) {
            return ControlCodec.encodePlain(packet);
        }

        @Override
        public Result<Unwrapped, WireError> unwrap(Bytes packet) {
            return ControlCodec.decodePlain(packet).map(p -> new Unwrapped(p, Optional.empty()));
        }
    }

    /**
     * tls-auth: {@code op | sid | HMAC | packet id | time | body} on the wire, the HMAC (of the
     * digest {@code --auth} names, keyed with the first digest-size bytes of the direction's HMAC
     * part) computed over {@code packet id | time | op | sid | body}: OpenVPN computes it with the
     * HMAC record first and then swaps it behind the header (ssl_pkt.c swap_hmac).
     */
    record TlsAuth(Digest digest, Bytes sendKey, Bytes receiveKey) implements ControlWrap {

        public TlsAuth {
            Objects.requireNonNull(digest);
            if (sendKey.size() != digest.size() || receiveKey.size() != digest.size()) {
                throw new IllegalArgumentException("tls-auth keys are as long as the digest");
            }
        }

        public static TlsAuth of(StaticKey key, KeyDirection direction, Digest digest) {
            return new TlsAuth(digest,
                    key.hmac(direction.outgoing()).slice(0, digest.size()),
                    key.hmac(direction.incoming()).slice(0, digest.size()));
        }

        @Override
        public Bytes wrap(ControlPacket packet, ReplayStamp stamp) {
            byte[] header = ControlCodec.header(packet);
            byte[] body = ControlCodec.body(packet);
            byte[] pid = new byte[ReplayStamp.SIZE];
            stamp.write(pid, 0);
            byte[] mac = Crypto.hmac(digest.jcaName(), sendKey.toArray(), pid, header, body);
            byte[] out = new byte[header.length + mac.length + pid.length + body.length];
            System.arraycopy(header, 0, out, 0, header.length);
            System.arraycopy(mac, 0, out, header.length, mac.length);
            System.arraycopy(pid, 0, out, header.length + mac.length, pid.length);
            System.arraycopy(body, 0, out, header.length + mac.length + pid.length, body.length);
            return Bytes.adopt(out);
        }

        @Override
        public Result<Unwrapped, WireError> unwrap(Bytes packet) {
            byte[] b = packet.toArray();
            int macAt = ControlCodec.HEADER_SIZE;
            int pidAt = macAt + digest.size();
            int bodyAt = pidAt + ReplayStamp.SIZE;
            if (b.length < bodyAt) {
                return Result.err(new WireError("tls-auth packet of " + b.length + " bytes, too short for its HMAC"));
            }
            return ControlCodec.decodeHeader(b).flatMap(h -> {
                byte[] expected = Crypto.hmac(digest.jcaName(), receiveKey.toArray(),
                        Arrays.copyOfRange(b, pidAt, bodyAt), Arrays.copyOfRange(b, 0, macAt), Arrays.copyOfRange(b, bodyAt, b.length));
                if (!Crypto.equal(b, macAt, expected, digest.size())) {
                    return Result.err(new WireError("tls-auth HMAC does not match"));
                }
                ReplayStamp stamp = ReplayStamp.read(b, pidAt);
                return ControlCodec.decodeBody(h, b, bodyAt, b.length).map(p -> new Unwrapped(p, Optional.of(stamp)));
            });
        }

        @Override
        public String toString() {
            return "TlsAuth[" + digest + "]";
        }
    }

    /**
     * tls-crypt (tls_crypt.c tls_crypt_wrap): {@code op | sid | packet id | time | tag | ciphertext},
     * the tag HMAC-SHA256 over {@code op | sid | packet id | time | body}, the body encrypted with
     * AES-256-CTR under the tag's first 16 bytes as IV. Keys: the first 32 bytes of the direction's
     * cipher and HMAC parts; the client uses key direction 1 (tls_crypt_init_key). With tls-crypt-v2
     * the client appends its wrapped key WKc to P_CONTROL_HARD_RESET_CLIENT_V3 and P_CONTROL_WKC_V1.
     */
    record TlsCrypt(Bytes sendCipher, Bytes sendHmac, Bytes receiveCipher, Bytes receiveHmac, Optional<Bytes> wrappedClientKey)
            implements ControlWrap {

        static final int KEY = 32;
        static final int TAG = 32;
        static final int IV = 16;
        static final String HMAC = "HmacSHA256";

        public TlsCrypt {
            for (Bytes k : new Bytes[] {sendCipher, sendHmac, receiveCipher, receiveHmac}) {
                if (k.size() != KEY) {
                    throw new IllegalArgumentException("tls-crypt keys have " + KEY + " bytes");
                }
            }
            Objects.requireNonNull(wrappedClientKey);
        }

        public static TlsCrypt of(StaticKey key, KeyDirection direction) {
            return new TlsCrypt(
                    key.cipher(direction.outgoing()).slice(0, KEY), key.hmac(direction.outgoing()).slice(0, KEY),
                    key.cipher(direction.incoming()).slice(0, KEY), key.hmac(direction.incoming()).slice(0, KEY),
                    Optional.empty());
        }

        /** tls-crypt as a client: key direction 1 (tls_crypt_init_key: a server uses 0). */
        public static TlsCrypt client(StaticKey key) {
            return of(key, KeyDirection.INVERSE);
        }

        /** tls-crypt-v2 as a client: Kc with key direction 1, WKc appended where it belongs. */
        public static TlsCrypt client(TlsCryptV2ClientKey key) {
            TlsCrypt plain = of(key.key(), KeyDirection.INVERSE);
            return new TlsCrypt(plain.sendCipher, plain.sendHmac, plain.receiveCipher, plain.receiveHmac, Optional.of(key.wrappedKey()));
        }

        @Override
        public Bytes wrap(ControlPacket packet, ReplayStamp stamp) {
            byte[] header = ControlCodec.header(packet);
            byte[] body = ControlCodec.body(packet);
            byte[] pid = new byte[ReplayStamp.SIZE];
            stamp.write(pid, 0);
            byte[] tag = Crypto.hmac(HMAC, sendHmac.toArray(), header, pid, body);
            byte[] ciphertext = Crypto.aesCtr(sendCipher.toArray(), tag, body, 0, body.length);
            if (packet.opcode().carriesWrappedClientKey() && wrappedClientKey.isEmpty()) {
                throw new IllegalArgumentException(packet.opcode() + " carries a tls-crypt-v2 wrapped key, and this is tls-crypt without one");
            }
            Bytes wkc = packet.opcode().carriesWrappedClientKey() ? wrappedClientKey.get() : Bytes.EMPTY;
            byte[] out = new byte[header.length + pid.length + TAG + ciphertext.length + wkc.size()];
            int at = 0;
            System.arraycopy(header, 0, out, at, header.length);
            at += header.length;
            System.arraycopy(pid, 0, out, at, pid.length);
            at += pid.length;
            System.arraycopy(tag, 0, out, at, TAG);
            at += TAG;
            System.arraycopy(ciphertext, 0, out, at, ciphertext.length);
            at += ciphertext.length;
            wkc.copyTo(0, out, at, wkc.size());
            return Bytes.adopt(out);
        }

        @Override
        public Result<Unwrapped, WireError> unwrap(Bytes packet) {
            byte[] b = packet.toArray();
            int pidAt = ControlCodec.HEADER_SIZE;
            int tagAt = pidAt + ReplayStamp.SIZE;
            int bodyAt = tagAt + TAG;
            if (b.length < bodyAt) {
                return Result.err(new WireError("tls-crypt packet of " + b.length + " bytes, too short for its tag"));
            }
            return ControlCodec.decodeHeader(b).flatMap(h -> {
                int end = b.length;
                if (h.opcode().carriesWrappedClientKey()) {
                    // tls_crypt_v2_extract_client_key: WKc's last two bytes are its length.
                    int wkc = (b[end - 2] & 0xff) << 8 | (b[end - 1] & 0xff);
                    if (wkc < 2 || end - wkc < bodyAt) {
                        return Result.err(new WireError(h.opcode() + " with a wrapped client key of impossible length " + wkc));
                    }
                    end -= wkc;
                }
                byte[] tag = Arrays.copyOfRange(b, tagAt, bodyAt);
                byte[] body = Crypto.aesCtr(receiveCipher.toArray(), tag, b, bodyAt, end - bodyAt);
                byte[] expected = Crypto.hmac(HMAC, receiveHmac.toArray(), Arrays.copyOfRange(b, 0, tagAt), body);
                if (!Crypto.equal(tag, 0, expected, TAG)) {
                    return Result.err(new WireError("tls-crypt tag does not match"));
                }
                ReplayStamp stamp = ReplayStamp.read(b, pidAt);
                return ControlCodec.decodeBody(h, body, 0, body.length).map(p -> new Unwrapped(p, Optional.of(stamp)));
            });
        }

        @Override
        public String toString() {
            return "TlsCrypt[" + (wrappedClientKey.isPresent() ? "v2" : "v1") + "]";
        }
    }
}
