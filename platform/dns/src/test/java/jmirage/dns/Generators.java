package jmirage.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators for names, every record type, and whole messages. */
final class Generators {

    private Generators() {}

    static Arbitrary<Bytes> bytes(int min, int max) {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max).map(Bytes::of);
    }

    static Arbitrary<byte[]> label() {
        Arbitrary<byte[]> plain = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                .withCharRange('0', '9').withChars('-', '_').ofMinLength(1).ofMaxLength(12)
                .map(s -> s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Arbitrary<byte[]> odd = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, plain), net.jqwik.api.Tuple.of(1, odd));
    }

    static Arbitrary<Name> names() {
        return label().list().ofMinSize(0).ofMaxSize(4).map(l -> Name.ofLabels(l).orElseThrow());
    }

    /** Names from a small pool, so compression has something to find. */
    static Arbitrary<Name> pooledNames() {
        return Arbitraries.oneOf(names(), Arbitraries.of("example.com.", "www.example.com.", "Example.COM.",
                "mail.example.com.", "ns1.example.net.", ".").map(Name::of));
    }

    static Arbitrary<Integer> u8() {
        return Arbitraries.integers().between(0, 255);
    }

    static Arbitrary<Integer> u16() {
        return Arbitraries.integers().between(0, 65535);
    }

    static Arbitrary<Long> u32() {
        return Arbitraries.longs().between(0, 0xffffffffL);
    }

    static Arbitrary<List<Integer>> types() {
        return Arbitraries.oneOf(Arbitraries.of(1, 2, 5, 6, 15, 16, 28, 46, 47, 48, 50, 64, 65, 257),
                        Arbitraries.integers().between(1, 300), Arbitraries.integers().between(65280, 65534))
                .filter(t -> t != Type.OPT && t != Type.TSIG)
                .list().ofMaxSize(8);
    }

    static Arbitrary<Rdata.SvcParam> svcParam() {
        return Arbitraries.oneOf(
                bytesList().map(l -> { // alpn
                    WireWriter w = new WireWriter(16);
                    l.forEach(w::charString);
                    return new Rdata.SvcParam(1, Bytes.adopt(w.toArray()));
                }),
                Arbitraries.just(new Rdata.SvcParam(2, Bytes.EMPTY)),
                bytes(2, 2).map(b -> new Rdata.SvcParam(3, b)),
                Arbitraries.integers().between(1, 3).flatMap(n -> bytes(4 * n, 4 * n)).map(b -> new Rdata.SvcParam(4, b)),
                bytes(1, 20).map(b -> new Rdata.SvcParam(5, b)),
                Arbitraries.integers().between(1, 2).flatMap(n -> bytes(16 * n, 16 * n)).map(b -> new Rdata.SvcParam(6, b)),
                // dnsjava prints generic values unquoted, so only plain characters survive its text form
                Combinators.combine(Arbitraries.integers().between(10, 60),
                        Arbitraries.strings().alpha().numeric().ofMaxLength(12).map(Bytes::utf8)).as(Rdata.SvcParam::new));
    }

    private static Arbitrary<List<Bytes>> bytesList() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars('/', '.', '1', '2', '3').ofMinLength(1)
                .ofMaxLength(8).map(Bytes::utf8).list().ofMinSize(1).ofMaxSize(3);
    }

    static Arbitrary<Rdata> rdataOf(int type) {
        return switch (type) {
            case Type.A -> bytes(4, 4).map(b -> new Rdata.A((Inet4Address) RdataCodec.address(b.toArray())));
            case Type.AAAA -> bytes(16, 16).map(b -> new Rdata.Aaaa(RdataCodec.ipv6(b.toArray())));
            case Type.NS -> pooledNames().map(Rdata.Ns::new);
            case Type.CNAME -> pooledNames().map(Rdata.Cname::new);
            case Type.DNAME -> pooledNames().map(Rdata.Dname::new);
            case Type.PTR -> pooledNames().map(Rdata.Ptr::new);
            case Type.SOA -> Combinators.combine(pooledNames(), pooledNames(), u32(), u32(), u32(), u32(), u32())
                    .as(Rdata.Soa::new);
            case Type.MX -> Combinators.combine(u16(), pooledNames()).as(Rdata.Mx::new);
            case Type.TXT -> bytes(0, 40).list().ofMinSize(1).ofMaxSize(3).map(Rdata.Txt::new);
            case Type.SRV -> Combinators.combine(u16(), u16(), u16(), pooledNames()).as(Rdata.Srv::new);
            case Type.NAPTR -> Combinators.combine(u16(), u16(), bytes(0, 4), bytes(0, 10), bytes(0, 20), pooledNames())
                    .as(Rdata.Naptr::new);
            case Type.CAA -> Combinators.combine(Arbitraries.of(0, 128),
                    Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(15), bytes(0, 30))
                    .as(Rdata.Caa::new);
            case Type.TLSA -> Combinators.combine(u8(), u8(), u8(), bytes(1, 40)).as(Rdata.Tlsa::new);
            case Type.SSHFP -> Combinators.combine(u8(), u8(), bytes(1, 32)).as(Rdata.Sshfp::new);
            case Type.SVCB, Type.HTTPS -> Combinators.combine(u16(), pooledNames(), svcParam().list().ofMaxSize(4))
                    .as((p, n, ps) -> {
                        java.util.TreeMap<Integer, Rdata.SvcParam> byKey = new java.util.TreeMap<>();
                        ps.forEach(x -> byKey.put(x.key(), x));
                        // RFC 9460 2.4.2: AliasMode (priority 0) carries no parameters
                        return new Rdata.Svcb(type, p, n, p == 0 ? List.of() : new ArrayList<>(byKey.values()));
                    });
            case Type.DS -> Combinators.combine(u16(), u8(), digest()).as((t, a, d) -> new Rdata.Ds(t, a, d.get1(), d.get2()));
            case Type.CDS -> Combinators.combine(u16(), u8(), digest()).as((t, a, d) -> new Rdata.Cds(t, a, d.get1(), d.get2()));
            case Type.DNSKEY -> Combinators.combine(u16(), u8(), u8(), bytes(1, 64)).as(Rdata.Dnskey::new);
            case Type.CDNSKEY -> Combinators.combine(u16(), u8(), u8(), bytes(1, 64)).as(Rdata.Cdnskey::new);
            case Type.RRSIG -> Combinators.combine(Arbitraries.of(1, 2, 6, 15, 28, 48, 65280), u8(), u8(),
                    Arbitraries.longs().between(0, 0x7fffffffL), u32(),
                    u32(), u16(), pooledNames()).as((tc, a, l, ot, ex, inc, tag, signer) -> new Object[] {tc, a, l, ot,
                        ex, inc, tag, signer})
                    .flatMap(o -> bytes(1, 64).map(sig -> (Rdata) new Rdata.Rrsig((Integer) o[0], (Integer) o[1],
                            (Integer) o[2], (Long) o[3], (Long) o[4], (Long) o[5], (Integer) o[6], (Name) o[7], sig)));
            case Type.NSEC -> Combinators.combine(pooledNames(), types()).as(Rdata.Nsec::new);
            case Type.NSEC3 -> Combinators.combine(u8(), u8(), u16(), bytes(0, 10), bytes(1, 20), types())
                    .as(Rdata.Nsec3::new);
            case Type.NSEC3PARAM -> Combinators.combine(u8(), u8(), u16(), bytes(0, 10)).as(Rdata.Nsec3param::new);
            case Type.TSIG -> Combinators.combine(Arbitraries.of("hmac-sha256.", "hmac-sha1.", "hmac-sha512.").map(Name::of),
                    Arbitraries.longs().between(0, (1L << 48) - 1), u16(), bytes(0, 64), u16(), u16(), bytes(0, 6))
                    .as(Rdata.Tsig::new);
            default -> bytes(0, 40).map(b -> new Rdata.Opaque(type, b));
        };
    }

    /** A DS digest type with a digest of its length (RFC 4509, 6605), or an unassigned type with any length. */
    static Arbitrary<net.jqwik.api.Tuple.Tuple2<Integer, Bytes>> digest() {
        return Arbitraries.of(1, 2, 4, 200).flatMap(t -> bytes(t == 1 ? 20 : t == 2 ? 32 : t == 4 ? 48 : 1,
                t == 1 ? 20 : t == 2 ? 32 : t == 4 ? 48 : 40).map(b -> net.jqwik.api.Tuple.of(t, b)));
    }

    /** Every record type with its own case, and some opaque ones. */
    static final List<Integer> ALL_TYPES = List.of(Type.A, Type.AAAA, Type.NS, Type.CNAME, Type.DNAME, Type.SOA, Type.PTR,
            Type.MX, Type.TXT, Type.SRV, Type.NAPTR, Type.CAA, Type.TLSA, Type.SSHFP, Type.SVCB, Type.HTTPS, Type.DS,
            Type.DNSKEY, Type.RRSIG, Type.NSEC, Type.NSEC3, Type.NSEC3PARAM, Type.CDS, Type.CDNSKEY, 65280, 4321);

    static Arbitrary<Rdata> rdata() {
        return Arbitraries.of(ALL_TYPES).flatMap(Generators::rdataOf);
    }

    static Arbitrary<Record> records() {
        // RFC 2181 8: TTLs are 0..2^31-1 (dnsjava enforces it)
        return Combinators.combine(pooledNames(), Arbitraries.of(DnsClass.IN, DnsClass.IN, DnsClass.CH, 4711),
                        Arbitraries.longs().between(0, 0x7fffffffL), rdata())
                .as(Record::new);
    }

    static Arbitrary<EdnsOption> options() {
        return Arbitraries.oneOf(
                Combinators.combine(bytes(8, 8), Arbitraries.oneOf(Arbitraries.just(Bytes.EMPTY), bytes(8, 32)))
                        .as(EdnsOption.Cookie::new),
                Arbitraries.integers().between(0, 64).map(EdnsOption.Padding::new),
                Combinators.combine(u16(), Arbitraries.strings().ofMaxLength(20)).as(EdnsOption.ExtendedError::new),
                Combinators.combine(Arbitraries.of(3, 20, 65001), bytes(0, 20)).as(EdnsOption.Opaque::new));
    }

    static Arbitrary<Edns> edns() {
        return Combinators.combine(u16(), u8(), Arbitraries.of(true, false), Arbitraries.integers().between(0, 0x7fff),
                options().list().ofMaxSize(4)).as(Edns::new);
    }

    static Arbitrary<Header> headers(boolean extended) {
        return Combinators.combine(u16(), Arbitraries.integers().between(0, 0x7fff),
                Arbitraries.integers().between(0, extended ? 0xfff : 0xf))
                .as((id, f, rc) -> Header.fromWords(id, (f << 1 & 0xfff0) | (rc & 0xf), rc >>> 4));
    }

    static Arbitrary<Message> messages() {
        Arbitrary<Optional<Edns>> edns = Arbitraries.oneOf(Arbitraries.just(Optional.<Edns>empty()), edns().map(Optional::of));
        Arbitrary<List<Question>> qs = Combinators.combine(pooledNames(), u16(), Arbitraries.of(1, 3, 255))
                .as(Question::new).list().ofMaxSize(2);
        Arbitrary<List<Record>> section = records().list().ofMaxSize(4);
        Arbitrary<Optional<Record>> tsig = Arbitraries.oneOf(Arbitraries.just(Optional.<Record>empty()),
                Combinators.combine(names(), rdataOf(Type.TSIG)).as((n, t) -> Optional.of(new Record(n, DnsClass.ANY, 0, t))));
        return Combinators.combine(edns, qs, section, section, section, tsig).flatAs((e, q, an, ns, ar, ts) ->
                headers(e.isPresent()).map(h -> {
                    List<Record> add = new ArrayList<>(ar);
                    ts.ifPresent(add::add);
                    return new Message(h, q, an, ns, add, e);
                }));
    }
}
