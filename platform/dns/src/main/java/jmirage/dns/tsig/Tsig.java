package jmirage.dns.tsig;

import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.dns.DnsClass;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;

/**
 * TSIG (RFC 8945): signing and verifying requests, responses, and the later messages of a
 * multi-message response such as a zone transfer. Pure: the time comes in as an argument.
 */
public final class Tsig {

    /** RFC 8945 10: the recommended fudge. */
    public static final int DEFAULT_FUDGE = 300;

    private Tsig() {}

    /** A signed message: its wire form, and the MAC that a response to it (or the next message) chains on. */
    public record Signed(Bytes wire, Bytes mac) {}

    /** A verified message, its MAC (to verify the response or the next message with) and the TSIG record. */
    public record Verified(Message message, Bytes mac, Rdata.Tsig tsig) {}

    /** State between the messages of a multi-message response (RFC 8945 5.3.1). */
    public record Stream(TsigKey key, Bytes priorMac, List<Bytes> unsigned) {
        public Stream {
            unsigned = List.copyOf(unsigned);
        }

        /** Starts with the request's MAC. */
        public static Stream after(TsigKey key, Bytes requestMac) {
            return new Stream(key, requestMac, List.of());
        }
    }

    // ------------------------------------------------------------------ signing

    /** Signs a request (RFC 8945 4.3.3 without a request MAC). */
    public static Signed signRequest(Message m, TsigKey key, Instant now, int fudge) {
        return sign(m, key, now.getEpochSecond(), fudge, 0, Bytes.EMPTY, Optional.empty(), true);
    }

    /** Signs a response to a request whose MAC was {@code requestMac} (RFC 8945 4.3.1). */
    public static Signed signResponse(Message m, TsigKey key, Instant now, int fudge, Bytes requestMac) {
        return sign(m, key, now.getEpochSecond(), fudge, 0, Bytes.EMPTY, Optional.of(requestMac), true);
    }

    /**
     * Signs an error response (BADSIG, BADKEY: unsigned per RFC 8945 5.3.2, with an empty MAC;
     * BADTIME: signed, with the server's time in other data).
     */
    public static Bytes signError(Message m, TsigKey key, Instant now, int fudge, int error, Optional<Bytes> requestMac) {
        if (error == 18) {
            WireBytes other = new WireBytes();
            other.u48(now.getEpochSecond());
            return sign(m, key, now.getEpochSecond(), fudge, error, other.bytes(), requestMac, true).wire();
        }
        return unsignedError(m, key.name(), key.algorithm().algorithmName(), now, fudge, error);
    }

    /**
     * RFC 8945 5.3.2: the error answer to a request signed with a key we do not know (BADKEY) or whose
     * MAC is wrong (BADSIG) carries a TSIG record with the request's key and algorithm names and an
     * empty MAC, since nothing can be signed with a key the peer and we do not share. Taking the names
     * rather than a key lets it answer an algorithm we do not implement.
     */
    public static Bytes unsignedError(Message m, jmirage.dns.Name keyName, jmirage.dns.Name algorithm, Instant now,
            int fudge, int error) {
        Rdata.Tsig t = new Rdata.Tsig(algorithm, now.getEpochSecond(), fudge, Bytes.EMPTY, m.header().id(), error,
                Bytes.EMPTY);
        return append(MessageCodec.encode(m), new Record(keyName, DnsClass.ANY, 0, t));
    }

    /** Signs the next message of a stream (RFC 8945 5.3.1: prior MAC, unsigned messages, this one, timers). */
    public static Signed signNext(Stream s, Message m, Instant now, int fudge) {
        Bytes wire = MessageCodec.encode(m);
        Mac mac = hmac(s.key());
        update(mac, lengthPrefixed(s.priorMac()));
        s.unsigned().forEach(b -> update(mac, b));
        update(mac, wire);
        WireBytes timers = new WireBytes();
        timers.u48(now.getEpochSecond());
        timers.u16(fudge);
        update(mac, timers.bytes());
        Bytes digest = finish(mac);
        Rdata.Tsig t = new Rdata.Tsig(s.key().algorithm().algorithmName(), now.getEpochSecond(), fudge, digest,
                m.header().id(), 0, Bytes.EMPTY);
        return new Signed(append(wire, new Record(s.key().name(), DnsClass.ANY, 0, t)), digest);
    }

    private static Signed sign(Message m, TsigKey key, long time, int fudge, int error, Bytes other,
            Optional<Bytes> requestMac, boolean full) {
        if (m.tsig().isPresent()) {
            throw new IllegalArgumentException("message is already signed");
        }
        Bytes wire = MessageCodec.encode(m);
        Mac mac = hmac(key);
        requestMac.ifPresent(r -> update(mac, lengthPrefixed(r)));
        update(mac, wire);
        update(mac, variables(key, time, fudge, error, other));
        Bytes digest = finish(mac);
        Rdata.Tsig t = new Rdata.Tsig(key.algorithm().algorithmName(), time, fudge, digest, m.header().id(), error, other);
        return new Signed(append(wire, new Record(key.name(), DnsClass.ANY, 0, t)), digest);
    }

    // ------------------------------------------------------------------ verifying

    /** Verifies a request: the key is looked up by name; {@code now} checks the time (RFC 8945 5.2). */
    public static Result<Verified, TsigError> verifyRequest(Bytes wire, Function<jmirage.dns.Name, Optional<TsigKey>> keys,
            Instant now) {
        return verify(wire, keys, now, Optional.empty());
    }

    /** Verifies a response to a request whose MAC was {@code requestMac}. */
    public static Result<Verified, TsigError> verifyResponse(Bytes wire, TsigKey key, Instant now, Bytes requestMac) {
        return verify(wire, n -> n.equals(key.name()) ? Optional.of(key) : Optional.empty(), now, Optional.of(requestMac));
    }

    private static Result<Verified, TsigError> verify(Bytes wire, Function<jmirage.dns.Name, Optional<TsigKey>> keys,
            Instant now, Optional<Bytes> requestMac) {
        return decode(wire).flatMap(d -> verifyDecoded(wire, d, keys, now, requestMac));
    }

    /** The message, or why it is malformed: a message TSIG cannot even read fails as Malformed. */
    private static Result<MessageCodec.Decoded, TsigError> decode(Bytes wire) {
        return MessageCodec.decodeDetailed(wire).mapError(TsigError.Malformed::new);
    }

    private static Result<Verified, TsigError> verifyDecoded(Bytes wire, MessageCodec.Decoded d,
            Function<jmirage.dns.Name, Optional<TsigKey>> keys, Instant now, Optional<Bytes> requestMac) {
        Optional<Record> rec = d.message().tsig();
        if (rec.isEmpty()) {
            return Result.err(new TsigError.Unsigned());
        }
        if (rec.get().rrClass() != DnsClass.ANY) {
            return Result.err(new TsigError.WrongClass(rec.get().rrClass())); // RFC 8945 4.2: CLASS MUST be ANY
        }
        Rdata.Tsig t = (Rdata.Tsig) rec.get().rdata();
        Optional<TsigKey> key = keys.apply(rec.get().name());
        if (key.isEmpty()) {
            return Result.err(new TsigError.BadKey("unknown key " + rec.get().name()));
        }
        if (!key.get().algorithm().algorithmName().equals(t.algorithm())) {
            return Result.err(new TsigError.BadKey("key " + rec.get().name() + " is not for " + t.algorithm()));
        }
        Bytes unsigned = stripTsig(wire, d.lastRecordOffset(), t.originalId());
        Mac mac = hmac(key.get());
        requestMac.ifPresent(r -> update(mac, lengthPrefixed(r)));
        update(mac, unsigned);
        update(mac, variables(key.get(), t.timeSigned(), t.fudge(), t.error(), t.otherData()));
        Optional<TsigError> bad = compare(key.get(), finish(mac), t.mac());
        if (bad.isPresent()) {
            return Result.err(bad.get());
        }
        if (t.error() != 0) {
            return Result.err(new TsigError.SignerReported(t.error()));
        }
        long nowS = now.getEpochSecond();
        if (Math.abs(nowS - t.timeSigned()) > t.fudge()) {
            return Result.err(new TsigError.BadTime(t.timeSigned(), nowS, t.fudge()));
        }
        return Result.ok(new Verified(d.message(), t.mac(), t));
    }

    /**
     * Verifies the next message of a multi-message response (RFC 8945 5.3.1). A message without
     * TSIG is accepted and kept for the next signed one, up to 99 in a row.
     */
    public static Result<StreamStep, TsigError> verifyNext(Stream s, Bytes wire, Instant now) {
        return decode(wire).flatMap(d -> nextInStream(s, wire, d, now));
    }

    private static Result<StreamStep, TsigError> nextInStream(Stream s, Bytes wire, MessageCodec.Decoded d, Instant now) {
        Optional<Record> rec = d.message().tsig();
        if (rec.isEmpty()) {
            if (s.unsigned().size() >= 99) {
                return Result.err(new TsigError.Unsigned());
            }
            List<Bytes> more = new ArrayList<>(s.unsigned());
            more.add(wire);
            return Result.ok(new StreamStep(d.message(), new Stream(s.key(), s.priorMac(), more), false));
        }
        if (rec.get().rrClass() != DnsClass.ANY) {
            return Result.err(new TsigError.WrongClass(rec.get().rrClass())); // RFC 8945 4.2
        }
        Rdata.Tsig t = (Rdata.Tsig) rec.get().rdata();
        if (!rec.get().name().equals(s.key().name()) || !t.algorithm().equals(s.key().algorithm().algorithmName())) {
            return Result.err(new TsigError.BadKey("stream changed key"));
        }
        Mac mac = hmac(s.key());
        update(mac, lengthPrefixed(s.priorMac()));
        s.unsigned().forEach(b -> update(mac, b));
        update(mac, stripTsig(wire, d.lastRecordOffset(), t.originalId()));
        WireBytes timers = new WireBytes();
        timers.u48(t.timeSigned());
        timers.u16(t.fudge());
        update(mac, timers.bytes());
        Optional<TsigError> bad = compare(s.key(), finish(mac), t.mac());
        if (bad.isPresent()) {
            return Result.err(bad.get());
        }
        long nowS = now.getEpochSecond();
        if (Math.abs(nowS - t.timeSigned()) > t.fudge()) {
            return Result.err(new TsigError.BadTime(t.timeSigned(), nowS, t.fudge()));
        }
        return Result.ok(new StreamStep(d.message(), new Stream(s.key(), t.mac(), List.of()), true));
    }

    /** One message of a stream, the state for the next, and whether this one carried a TSIG. */
    public record StreamStep(Message message, Stream next, boolean signed) {}

    /** RFC 8945 5.2.2.1: a truncated MAC must keep at least 10 bytes and half the full length. */
    private static Optional<TsigError> compare(TsigKey key, Bytes expected, Bytes got) {
        int full = key.algorithm().macLength();
        if (got.size() > full || got.size() < Math.max(10, (full + 1) / 2)) {
            return Optional.of(new TsigError.BadSig("MAC length " + got.size()));
        }
        int diff = 0;
        for (int i = 0; i < got.size(); i++) {
            diff |= expected.get(i) ^ got.get(i);
        }
        return diff == 0 ? Optional.empty() : Optional.of(new TsigError.BadSig("MAC mismatch"));
    }

    /** The message as it was before signing: TSIG removed, ARCOUNT one less, the original ID back. */
    static Bytes stripTsig(Bytes wire, int tsigOffset, int originalId) {
        byte[] b = wire.slice(0, tsigOffset).toArray();
        int ar = ((b[10] & 0xff) << 8 | (b[11] & 0xff)) - 1;
        b[10] = (byte) (ar >>> 8);
        b[11] = (byte) ar;
        b[0] = (byte) (originalId >>> 8);
        b[1] = (byte) originalId;
        return Bytes.adopt(b);
    }

    /** RFC 8945 4.3.3: key name, class ANY, TTL 0, algorithm, time, fudge, error, other data. */
    private static Bytes variables(TsigKey key, long time, int fudge, int error, Bytes other) {
        WireBytes w = new WireBytes();
        w.raw(key.name().toLowerCase().toWire());
        w.u16(DnsClass.ANY);
        w.u32(0);
        w.raw(key.algorithm().algorithmName().toLowerCase().toWire());
        w.u48(time);
        w.u16(fudge);
        w.u16(error);
        w.u16(other.size());
        w.raw(other.toArray());
        return w.bytes();
    }

    private static Bytes append(Bytes wire, Record tsig) {
        byte[] rr = recordBytes(tsig);
        byte[] b = new byte[wire.size() + rr.length];
        wire.copyTo(0, b, 0, wire.size());
        System.arraycopy(rr, 0, b, wire.size(), rr.length);
        int ar = ((b[10] & 0xff) << 8 | (b[11] & 0xff)) + 1;
        b[10] = (byte) (ar >>> 8);
        b[11] = (byte) ar;
        return Bytes.adopt(b);
    }

    private static byte[] recordBytes(Record r) {
        WireBytes w = new WireBytes();
        w.raw(r.name().toWire());
        w.u16(Type.TSIG);
        w.u16(r.rrClass());
        w.u32(r.ttl());
        Bytes rdata = jmirage.dns.RdataCodec.toWire(r.rdata(), false);
        w.u16(rdata.size());
        w.raw(rdata.toArray());
        return w.bytes().toArray();
    }

    private static Bytes lengthPrefixed(Bytes mac) {
        WireBytes w = new WireBytes();
        w.u16(mac.size());
        w.raw(mac.toArray());
        return w.bytes();
    }

    /**
     * A fresh HMAC (RFC 2104) keyed with the key's secret. An empty secret is given as one zero byte,
     * which {@code SecretKeySpec} accepts where it refuses an empty one: HMAC pads its key with zeros
     * to the hash's block size, so both are the same key.
     */
    private static Mac hmac(TsigKey key) {
        byte[] secret = key.secret().toArray();
        try {
            Mac mac = Mac.getInstance(key.algorithm().jcaName);
            mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, key.algorithm().jcaName));
            return mac;
        } catch (GeneralSecurityException e) {
            // Every Java SE runtime's SunJCE provider has the six (TsigAlgorithm's names).
            throw new IllegalStateException("the JDK lacks " + key.algorithm().jcaName, e);
        }
    }

    private static void update(Mac mac, Bytes b) {
        mac.update(b.toArray());
    }

    private static Bytes finish(Mac mac) {
        return Bytes.adopt(mac.doFinal());
    }

    /** A small byte sink for the MAC inputs. */
    private static final class WireBytes {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        void u16(int v) {
            out.write(v >>> 8);
            out.write(v);
        }

        void u32(long v) {
            u16((int) (v >>> 16));
            u16((int) v);
        }

        void u48(long v) {
            u16((int) (v >>> 32));
            u32(v);
        }

        void raw(byte[] b) {
            out.write(b, 0, b.length);
        }

        Bytes bytes() {
            return Bytes.adopt(out.toByteArray());
        }
    }
}
