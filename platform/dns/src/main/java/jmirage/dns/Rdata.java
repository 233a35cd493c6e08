package jmirage.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import jmirage.core.Bytes;

/**
 * The data of a resource record, one case per type, with typed fields (an A record holds an
 * {@link Inet4Address}, an MX a preference and a {@link Name}). Types without a case are kept as
 * {@link Opaque} bytes (RFC 3597). Wire and text forms are in {@link RdataCodec}.
 */
public sealed interface Rdata {

    /** The record type number. */
    int type();

    record A(Inet4Address address) implements Rdata {
        public A { Objects.requireNonNull(address); }
        public int type() { return Type.A; }
    }

    record Aaaa(Inet6Address address) implements Rdata {
        public Aaaa { Objects.requireNonNull(address); }
        public int type() { return Type.AAAA; }
    }

    record Ns(Name host) implements Rdata {
        public Ns { Objects.requireNonNull(host); }
        public int type() { return Type.NS; }
    }

    record Cname(Name target) implements Rdata {
        public Cname { Objects.requireNonNull(target); }
        public int type() { return Type.CNAME; }
    }

    record Dname(Name target) implements Rdata {
        public Dname { Objects.requireNonNull(target); }
        public int type() { return Type.DNAME; }
    }

    record Ptr(Name target) implements Rdata {
        public Ptr { Objects.requireNonNull(target); }
        public int type() { return Type.PTR; }
    }

    /** RFC 1035 3.3.13; the 32-bit fields are unsigned. */
    record Soa(Name mname, Name rname, long serial, long refresh, long retry, long expire, long minimum)
            implements Rdata {
        public Soa {
            Objects.requireNonNull(mname);
            Objects.requireNonNull(rname);
            Check.u32(serial); Check.u32(refresh); Check.u32(retry); Check.u32(expire); Check.u32(minimum);
        }
        public int type() { return Type.SOA; }
    }

    record Mx(int preference, Name exchange) implements Rdata {
        public Mx { Check.u16(preference); Objects.requireNonNull(exchange); }
        public int type() { return Type.MX; }
    }

    /** One or more character-strings of at most 255 bytes each. */
    record Txt(List<Bytes> strings) implements Rdata {
        public Txt {
            strings = List.copyOf(strings);
            if (strings.isEmpty()) {
                throw new IllegalArgumentException("TXT needs at least one string");
            }
            strings.forEach(Check::charString);
        }
        public int type() { return Type.TXT; }
    }

    /** RFC 2782. */
    record Srv(int priority, int weight, int port, Name target) implements Rdata {
        public Srv { Check.u16(priority); Check.u16(weight); Check.u16(port); Objects.requireNonNull(target); }
        public int type() { return Type.SRV; }
    }

    /** RFC 3403 4.1. */
    record Naptr(int order, int preference, Bytes flags, Bytes services, Bytes regexp, Name replacement)
            implements Rdata {
        public Naptr {
            Check.u16(order); Check.u16(preference);
            Check.charString(flags); Check.charString(services); Check.charString(regexp);
            Objects.requireNonNull(replacement);
        }
        public int type() { return Type.NAPTR; }
    }

    /** RFC 8659: the tag is 1..255 ASCII letters and digits. */
    record Caa(int flags, String tag, Bytes value) implements Rdata {
        public Caa {
            Check.u8(flags);
            if (tag.isEmpty() || tag.length() > 255 || !tag.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c))) {
                throw new IllegalArgumentException("bad CAA tag: " + tag);
            }
            Objects.requireNonNull(value);
        }
        public int type() { return Type.CAA; }
    }

    /** RFC 6698. */
    record Tlsa(int usage, int selector, int matchingType, Bytes data) implements Rdata {
        public Tlsa { Check.u8(usage); Check.u8(selector); Check.u8(matchingType); Objects.requireNonNull(data); }
        public int type() { return Type.TLSA; }
    }

    /** RFC 4255. */
    record Sshfp(int algorithm, int fingerprintType, Bytes fingerprint) implements Rdata {
        public Sshfp { Check.u8(algorithm); Check.u8(fingerprintType); Objects.requireNonNull(fingerprint); }
        public int type() { return Type.SSHFP; }
    }

    /** One SvcParam of RFC 9460: a key and its wire-format value. */
    record SvcParam(int key, Bytes value) {
        public SvcParam { Check.u16(key); Check.u16(value.size()); }
    }

    /** SVCB or HTTPS (RFC 9460); {@code rrType} says which. Params are in strictly increasing key order. */
    record Svcb(int rrType, int priority, Name target, List<SvcParam> params) implements Rdata {
        public Svcb {
            if (rrType != Type.SVCB && rrType != Type.HTTPS) {
                throw new IllegalArgumentException("not SVCB or HTTPS: " + rrType);
            }
            Check.u16(priority);
            Objects.requireNonNull(target);
            params = List.copyOf(params);
            for (int i = 1; i < params.size(); i++) {
                if (params.get(i).key() <= params.get(i - 1).key()) {
                    throw new IllegalArgumentException("SvcParams not in strictly increasing key order");
                }
            }
        }
        public int type() { return rrType; }
    }

    /** RFC 4034 5.1. */
    record Ds(int keyTag, int algorithm, int digestType, Bytes digest) implements Rdata {
        public Ds { Check.u16(keyTag); Check.u8(algorithm); Check.u8(digestType); Objects.requireNonNull(digest); }
        public int type() { return Type.DS; }
    }

    /** RFC 7344: same shape as DS. */
    record Cds(int keyTag, int algorithm, int digestType, Bytes digest) implements Rdata {
        public Cds { Check.u16(keyTag); Check.u8(algorithm); Check.u8(digestType); Objects.requireNonNull(digest); }
        public int type() { return Type.CDS; }
    }

    /** RFC 4034 2.1. */
    record Dnskey(int flags, int protocol, int algorithm, Bytes publicKey) implements Rdata {
        public Dnskey { Check.u16(flags); Check.u8(protocol); Check.u8(algorithm); Objects.requireNonNull(publicKey); }
        public int type() { return Type.DNSKEY; }
    }

    /** RFC 7344: same shape as DNSKEY. */
    record Cdnskey(int flags, int protocol, int algorithm, Bytes publicKey) implements Rdata {
        public Cdnskey { Check.u16(flags); Check.u8(protocol); Check.u8(algorithm); Objects.requireNonNull(publicKey); }
        public int type() { return Type.CDNSKEY; }
    }

    /** RFC 4034 3.1; times are unsigned 32-bit seconds (serial arithmetic, RFC 4034 3.1.5). */
    record Rrsig(int typeCovered, int algorithm, int labels, long originalTtl, long expiration, long inception,
            int keyTag, Name signer, Bytes signature) implements Rdata {
        public Rrsig {
            Check.u16(typeCovered); Check.u8(algorithm); Check.u8(labels); Check.u32(originalTtl);
            Check.u32(expiration); Check.u32(inception); Check.u16(keyTag);
            Objects.requireNonNull(signer); Objects.requireNonNull(signature);
        }
        public int type() { return Type.RRSIG; }
    }

    /** RFC 4034 4.1; {@code types} is sorted and without duplicates. */
    record Nsec(Name next, List<Integer> types) implements Rdata {
        public Nsec { Objects.requireNonNull(next); types = Check.typeSet(types); }
        public int type() { return Type.NSEC; }
    }

    /** RFC 5155 3.2. */
    record Nsec3(int hashAlgorithm, int flags, int iterations, Bytes salt, Bytes nextHashedOwner, List<Integer> types)
            implements Rdata {
        public Nsec3 {
            Check.u8(hashAlgorithm); Check.u8(flags); Check.u16(iterations); Check.charString(salt);
            Check.charString(nextHashedOwner);
            if (nextHashedOwner.isEmpty()) {
                throw new IllegalArgumentException("empty NSEC3 next hashed owner");
            }
            types = Check.typeSet(types);
        }
        public int type() { return Type.NSEC3; }
    }

    /** RFC 5155 4.2. */
    record Nsec3param(int hashAlgorithm, int flags, int iterations, Bytes salt) implements Rdata {
        public Nsec3param { Check.u8(hashAlgorithm); Check.u8(flags); Check.u16(iterations); Check.charString(salt); }
        public int type() { return Type.NSEC3PARAM; }
    }

    /** RFC 8945 4.2: the TSIG pseudo-record's data. {@code timeSigned} is 48-bit seconds. */
    record Tsig(Name algorithm, long timeSigned, int fudge, Bytes mac, int originalId, int error, Bytes otherData)
            implements Rdata {
        public Tsig {
            Objects.requireNonNull(algorithm);
            if (timeSigned < 0 || timeSigned >= 1L << 48) {
                throw new IllegalArgumentException("time signed out of 48-bit range");
            }
            Check.u16(fudge); Check.u16(mac.size()); Check.u16(originalId); Check.u16(error); Check.u16(otherData.size());
        }
        public int type() { return Type.TSIG; }
    }

    /**
     * No data at all (RDLENGTH 0) for a type that always has some: only in the prerequisite and
     * update sections of an UPDATE (RFC 2136 2.4.1, 2.4.3, 2.5.2, 2.5.3), where class ANY or NONE
     * with no data means "any RRset of this type". The decoder gives it only for class ANY and NONE.
     */
    record Empty(int rrType) implements Rdata {
        public Empty {
            Check.u16(rrType);
            if (!RdataCodec.isKnown(rrType)) {
                throw new IllegalArgumentException("type " + Type.name(rrType) + " is kept as Opaque when empty");
            }
        }
        public int type() { return rrType; }
    }

    /** Any other type, kept as its wire bytes (RFC 3597). */
    record Opaque(int rrType, Bytes data) implements Rdata {
        public Opaque {
            Check.u16(rrType);
            Objects.requireNonNull(data);
            Check.u16(data.size());
            if (RdataCodec.isKnown(rrType) || rrType == Type.OPT) {
                throw new IllegalArgumentException("type " + Type.name(rrType) + " has its own case");
            }
        }
        public int type() { return rrType; }
    }

    /** Field checks shared by the cases. */
    final class Check {
        private Check() {}

        static void u8(int v) {
            if (v < 0 || v > 0xff) throw new IllegalArgumentException("not an 8-bit value: " + v);
        }

        static void u16(int v) {
            if (v < 0 || v > 0xffff) throw new IllegalArgumentException("not a 16-bit value: " + v);
        }

        static void u32(long v) {
            if (v < 0 || v > 0xffffffffL) throw new IllegalArgumentException("not a 32-bit value: " + v);
        }

        static void charString(Bytes b) {
            if (b.size() > 255) throw new IllegalArgumentException("character-string longer than 255 bytes");
        }

        static List<Integer> typeSet(List<Integer> types) {
            TreeSet<Integer> s = new TreeSet<>(types);
            s.forEach(Check::u16);
            return List.copyOf(s);
        }
    }
}
