package jmirage.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Result;

/** The wire form of {@link Rdata}: RFC 1035 3.3, and each type's own RFC. */
public final class RdataCodec {

    private RdataCodec() {}

    /** Whether {@code type} has its own {@link Rdata} case. */
    public static boolean isKnown(int type) {
        return switch (type) {
            case Type.A, Type.AAAA, Type.NS, Type.CNAME, Type.DNAME, Type.PTR, Type.SOA, Type.MX, Type.TXT, Type.SRV,
                    Type.NAPTR, Type.CAA, Type.TLSA, Type.SSHFP, Type.SVCB, Type.HTTPS, Type.DS, Type.CDS, Type.DNSKEY,
                    Type.CDNSKEY, Type.RRSIG, Type.NSEC, Type.NSEC3, Type.NSEC3PARAM, Type.TSIG -> true;
            default -> false;
        };
    }

    /** The rdata alone in wire form, without compression; canonical (RFC 4034 6.2) if asked. */
    public static Bytes toWire(Rdata rdata, boolean canonical) {
        WireWriter w = new WireWriter(64);
        write(rdata, w, false, canonical);
        return Bytes.adopt(w.toArray());
    }

    /** Decodes rdata of {@code type} from exactly {@code data}. */
    public static Result<Rdata, DecodeError> fromWire(int type, Bytes data) {
        byte[] b = data.toArray();
        try {
            return Result.ok(read(type, new WireReader(b, 0, b.length), b.length));
        } catch (WireReader.Failure f) {
            return Result.err(f.error);
        }
    }

    /**
     * Writes rdata. {@code compress}: RFC 3597 4 allows compression only in the RFC 1035 types.
     * {@code canonical}: names lower-cased in the types RFC 4034 6.2 (with RFC 6840 5.1) lists.
     */
    static void write(Rdata rdata, WireWriter w, boolean compress, boolean canonical) {
        switch (rdata) {
            case Rdata.A a -> w.raw(a.address().getAddress());
            case Rdata.Aaaa a -> w.raw(a.address().getAddress());
            case Rdata.Ns r -> w.name(r.host(), compress, canonical);
            case Rdata.Cname r -> w.name(r.target(), compress, canonical);
            case Rdata.Dname r -> w.name(r.target(), false, canonical);
            case Rdata.Ptr r -> w.name(r.target(), compress, canonical);
            case Rdata.Soa s -> {
                w.name(s.mname(), compress, canonical);
                w.name(s.rname(), compress, canonical);
                w.u32(s.serial());
                w.u32(s.refresh());
                w.u32(s.retry());
                w.u32(s.expire());
                w.u32(s.minimum());
            }
            case Rdata.Mx m -> {
                w.u16(m.preference());
                w.name(m.exchange(), compress, canonical);
            }
            case Rdata.Txt t -> t.strings().forEach(w::charString);
            case Rdata.Srv s -> {
                w.u16(s.priority());
                w.u16(s.weight());
                w.u16(s.port());
                w.name(s.target(), false, canonical);
            }
            case Rdata.Naptr n -> {
                w.u16(n.order());
                w.u16(n.preference());
                w.charString(n.flags());
                w.charString(n.services());
                w.charString(n.regexp());
                w.name(n.replacement(), false, canonical);
            }
            case Rdata.Caa c -> {
                w.u8(c.flags());
                w.charString(Bytes.utf8(c.tag()));
                w.bytes(c.value());
            }
            case Rdata.Tlsa t -> {
                w.u8(t.usage());
                w.u8(t.selector());
                w.u8(t.matchingType());
                w.bytes(t.data());
            }
            case Rdata.Sshfp s -> {
                w.u8(s.algorithm());
                w.u8(s.fingerprintType());
                w.bytes(s.fingerprint());
            }
            case Rdata.Svcb s -> {
                w.u16(s.priority());
                w.name(s.target(), false, false); // RFC 9460 2.2: never compressed nor lower-cased
                for (Rdata.SvcParam p : s.params()) {
                    w.u16(p.key());
                    w.u16(p.value().size());
                    w.bytes(p.value());
                }
            }
            case Rdata.Ds d -> digest(w, d.keyTag(), d.algorithm(), d.digestType(), d.digest());
            case Rdata.Cds d -> digest(w, d.keyTag(), d.algorithm(), d.digestType(), d.digest());
            case Rdata.Dnskey k -> key(w, k.flags(), k.protocol(), k.algorithm(), k.publicKey());
            case Rdata.Cdnskey k -> key(w, k.flags(), k.protocol(), k.algorithm(), k.publicKey());
            case Rdata.Rrsig r -> {
                writeRrsigHeader(w, r, canonical);
                w.bytes(r.signature());
            }
            case Rdata.Nsec n -> {
                w.name(n.next(), false, false); // RFC 6840 5.1: NSEC next name is not lower-cased
                writeTypeBitmap(w, n.types());
            }
            case Rdata.Nsec3 n -> {
                w.u8(n.hashAlgorithm());
                w.u8(n.flags());
                w.u16(n.iterations());
                w.charString(n.salt());
                w.charString(n.nextHashedOwner());
                writeTypeBitmap(w, n.types());
            }
            case Rdata.Nsec3param n -> {
                w.u8(n.hashAlgorithm());
                w.u8(n.flags());
                w.u16(n.iterations());
                w.charString(n.salt());
            }
            case Rdata.Tsig t -> {
                w.name(t.algorithm(), false, true); // RFC 8945 4.3.3: canonical form
                w.u48(t.timeSigned());
                w.u16(t.fudge());
                w.u16(t.mac().size());
                w.bytes(t.mac());
                w.u16(t.originalId());
                w.u16(t.error());
                w.u16(t.otherData().size());
                w.bytes(t.otherData());
            }
            case Rdata.Opaque o -> w.bytes(o.data());
            case Rdata.Empty e -> { }
        }
    }

    /** RRSIG rdata up to (not including) the signature: the prefix signed over (RFC 4034 3.1.8.1). */
    static void writeRrsigHeader(WireWriter w, Rdata.Rrsig r, boolean canonical) {
        w.u16(r.typeCovered());
        w.u8(r.algorithm());
        w.u8(r.labels());
        w.u32(r.originalTtl());
        w.u32(r.expiration());
        w.u32(r.inception());
        w.u16(r.keyTag());
        w.name(r.signer(), false, canonical);
    }

    private static void digest(WireWriter w, int tag, int alg, int dt, Bytes digest) {
        w.u16(tag);
        w.u8(alg);
        w.u8(dt);
        w.bytes(digest);
    }

    private static void key(WireWriter w, int flags, int proto, int alg, Bytes key) {
        w.u16(flags);
        w.u8(proto);
        w.u8(alg);
        w.bytes(key);
    }

    /** RFC 4034 4.1.2: windows of up to 32 bytes, only non-empty windows, trailing zero bytes dropped. */
    static void writeTypeBitmap(WireWriter w, List<Integer> types) {
        int i = 0;
        while (i < types.size()) {
            int window = types.get(i) >>> 8;
            byte[] bits = new byte[32];
            int used = 0;
            while (i < types.size() && types.get(i) >>> 8 == window) {
                int low = types.get(i) & 0xff;
                bits[low >>> 3] |= (byte) (0x80 >>> (low & 7));
                used = (low >>> 3) + 1;
                i++;
            }
            w.u8(window);
            w.u8(used);
            for (int k = 0; k < used; k++) {
                w.u8(bits[k]);
            }
        }
    }

    static List<Integer> readTypeBitmap(WireReader r) {
        List<Integer> types = new ArrayList<>();
        int lastWindow = -1;
        while (r.remaining() > 0) {
            int window = r.u8();
            int len = r.u8();
            if (window <= lastWindow || len < 1 || len > 32) {
                throw new WireReader.Failure(new DecodeError.BadTypeBitmap(r.pos - 2, window, len));
            }
            lastWindow = window;
            r.need(len);
            for (int k = 0; k < len; k++) {
                int b = r.u8();
                for (int bit = 0; bit < 8; bit++) {
                    if ((b & (0x80 >>> bit)) != 0) {
                        types.add(window << 8 | k << 3 | bit);
                    }
                }
            }
        }
        return types;
    }

    /** Reads rdata of {@code type}, exactly {@code length} bytes from the reader's position. */
    static Rdata read(int type, WireReader in, int length) {
        in.need(length);
        int end = in.pos + length;
        int savedLimit = in.limit;
        in.limit = end;
        try {
            Rdata r = readBody(type, in, length);
            if (in.pos != end) {
                throw new WireReader.Failure(new DecodeError.RdataLeftOver(in.pos, type, end - in.pos));
            }
            return r;
        } finally {
            in.limit = savedLimit;
        }
    }

    private static Rdata readBody(int type, WireReader in, int length) {
        return switch (type) {
            case Type.A -> {
                if (length != 4) throw new WireReader.Failure(new DecodeError.WrongRdataLength(in.pos, type, length));
                yield new Rdata.A((Inet4Address) address(in.raw(4)));
            }
            case Type.AAAA -> {
                if (length != 16) throw new WireReader.Failure(new DecodeError.WrongRdataLength(in.pos, type, length));
                yield new Rdata.Aaaa(ipv6(in.raw(16)));
            }
            case Type.NS -> new Rdata.Ns(in.name());
            case Type.CNAME -> new Rdata.Cname(in.name());
            case Type.DNAME -> new Rdata.Dname(in.name());
            case Type.PTR -> new Rdata.Ptr(in.name());
            case Type.SOA -> new Rdata.Soa(in.name(), in.name(), in.u32(), in.u32(), in.u32(), in.u32(), in.u32());
            case Type.MX -> new Rdata.Mx(in.u16(), in.name());
            case Type.TXT -> {
                List<Bytes> strings = new ArrayList<>();
                while (in.remaining() > 0) {
                    strings.add(in.charString());
                }
                if (strings.isEmpty()) throw new WireReader.Failure(new DecodeError.EmptyTxt(in.pos));
                yield new Rdata.Txt(strings);
            }
            case Type.SRV -> new Rdata.Srv(in.u16(), in.u16(), in.u16(), in.name());
            case Type.NAPTR -> new Rdata.Naptr(in.u16(), in.u16(), in.charString(), in.charString(), in.charString(),
                    in.name());
            case Type.CAA -> {
                int flags = in.u8();
                int tagAt = in.pos;
                Bytes tag = in.charString();
                boolean alphanumeric = !tag.isEmpty();
                for (int i = 0; i < tag.size(); i++) {
                    int c = tag.getUnsigned(i);
                    alphanumeric &= c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
                }
                if (!alphanumeric) {
                    throw new WireReader.Failure(new DecodeError.BadCaaTag(tagAt));
                }
                yield new Rdata.Caa(flags, tag.toUtf8(), in.rest());
            }
            case Type.TLSA -> new Rdata.Tlsa(in.u8(), in.u8(), in.u8(), in.rest());
            case Type.SSHFP -> new Rdata.Sshfp(in.u8(), in.u8(), in.rest());
            case Type.SVCB, Type.HTTPS -> {
                int prio = in.u16();
                Name target = in.name();
                List<Rdata.SvcParam> params = new ArrayList<>();
                int lastKey = -1;
                while (in.remaining() > 0) {
                    int keyAt = in.pos;
                    int key = in.u16();
                    if (key <= lastKey) {
                        throw new WireReader.Failure(new DecodeError.SvcParamsOutOfOrder(keyAt, key));
                    }
                    lastKey = key;
                    params.add(new Rdata.SvcParam(key, in.bytes(in.u16())));
                }
                yield new Rdata.Svcb(type, prio, target, params);
            }
            case Type.DS -> new Rdata.Ds(in.u16(), in.u8(), in.u8(), in.rest());
            case Type.CDS -> new Rdata.Cds(in.u16(), in.u8(), in.u8(), in.rest());
            case Type.DNSKEY -> new Rdata.Dnskey(in.u16(), in.u8(), in.u8(), in.rest());
            case Type.CDNSKEY -> new Rdata.Cdnskey(in.u16(), in.u8(), in.u8(), in.rest());
            case Type.RRSIG -> new Rdata.Rrsig(in.u16(), in.u8(), in.u8(), in.u32(), in.u32(), in.u32(), in.u16(),
                    in.name(), in.rest());
            case Type.NSEC -> {
                Name next = in.name();
                List<Integer> types = readTypeBitmap(in);
                yield new Rdata.Nsec(next, types);
            }
            case Type.NSEC3 -> {
                int alg = in.u8();
                int flags = in.u8();
                int it = in.u16();
                Bytes salt = in.charString();
                int nextAt = in.pos;
                Bytes next = in.charString();
                if (next.isEmpty()) {
                    throw new WireReader.Failure(new DecodeError.EmptyNsec3Hash(nextAt));
                }
                yield new Rdata.Nsec3(alg, flags, it, salt, next, readTypeBitmap(in));
            }
            case Type.NSEC3PARAM -> new Rdata.Nsec3param(in.u8(), in.u8(), in.u16(), in.charString());
            case Type.TSIG -> {
                Name alg = in.name();
                long time = in.u48();
                int fudge = in.u16();
                Bytes mac = in.bytes(in.u16());
                int orig = in.u16();
                int err = in.u16();
                yield new Rdata.Tsig(alg, time, fudge, mac, orig, err, in.bytes(in.u16()));
            }
            case Type.OPT -> throw new WireReader.Failure(new DecodeError.OptOutsideAdditional(in.pos));
            default -> new Rdata.Opaque(type, in.rest());
        };
    }

    static InetAddress address(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only for a wrong length, which callers rule out
        }
    }

    /** An IPv6 address even for IPv4-mapped bytes (InetAddress would turn those into Inet4Address). */
    static Inet6Address ipv6(byte[] b) {
        try {
            return Inet6Address.getByAddress(null, b, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
