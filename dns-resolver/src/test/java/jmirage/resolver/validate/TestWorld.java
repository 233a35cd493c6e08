package jmirage.resolver.validate;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Clock;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.dns.Base32Hex;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.dnssec.Dnssec;

/**
 * Signed zones for validator tests: {@code example.} (the trust anchor, NSEC), its secure child
 * {@code sub.example.}, its unsigned child {@code insecure.example.}, and {@code nsec3.test.} (a
 * second anchor, NSEC3). The key fetcher answers from a table and counts the questions.
 */
final class TestWorld {

    static final Instant NOW = Instant.ofEpochSecond(1_750_000_000L);
    static final Name EXAMPLE = Name.of("example."), SUB = Name.of("sub.example."),
            INSECURE = Name.of("insecure.example."), N3 = Name.of("nsec3.test.");

    final ZoneSigner example;
    final ZoneSigner sub;
    final ZoneSigner n3;
    final Map<Question, Message> authorities = new HashMap<>();
    final List<Question> asked = new ArrayList<>();

    TestWorld(int exampleAlgorithm) {
        example = new ZoneSigner(EXAMPLE, exampleAlgorithm);
        sub = new ZoneSigner(SUB, Dnssec.ED25519);
        n3 = new ZoneSigner(N3, Dnssec.ECDSAP256SHA256);
        serve(new Question(EXAMPLE, Type.DNSKEY), answer(example.signed(example.dnskeyRecord()), List.of()));
        serve(new Question(SUB, Type.DNSKEY), answer(sub.signed(sub.dnskeyRecord()), List.of()));
        serve(new Question(N3, Type.DNSKEY), answer(n3.signed(n3.dnskeyRecord()), List.of()));
        serve(new Question(SUB, Type.DS), answer(example.signed(sub.ds(Dnssec.DIGEST_SHA256)), List.of()));
        List<Record> noDs = new ArrayList<>(soa(example));
        noDs.addAll(example.signed(nsec("insecure.example.", "sub.example.", Type.NS)));
        serve(new Question(INSECURE, Type.DS), answer(List.of(), noDs));
    }

    TrustAnchors anchors() {
        return TrustAnchors.of(List.of(example.ds(Dnssec.DIGEST_SHA256), n3.ds(Dnssec.DIGEST_SHA256))).orElseThrow();
    }

    /** Wall time {@link #NOW}, monotonic time 0. */
    Clock clock() {
        return new Clock() {
            public Instant now() {
                return NOW;
            }

            public long monotonicNanos() {
                return 0;
            }
        };
    }

    Validator validator(ValidatorConfig config) {
        return new Validator(anchors(), q -> {
            asked.add(q);
            Message m = authorities.get(q);
            return Promise.resolved(m == null ? Result.err("no authority for " + q) : Result.ok(m));
        }, clock(), config);
    }

    void serve(Question q, Message m) {
        authorities.put(q, m);
    }

    static Message message(int rcode, List<Record> answer, List<Record> authority) {
        return new Message(new Header(1, true, Header.QUERY, true, false, true, true, false, false, false, rcode),
                List.of(), answer, authority, List.of(), Optional.empty());
    }

    static Message answer(List<Record> answer, List<Record> authority) {
        return message(Header.NOERROR, answer, authority);
    }

    static Record a(String name, String address) {
        return Record.in(Name.of(name), 300, new Rdata.A((java.net.Inet4Address) InetAddress.ofLiteral(address)));
    }

    static Record nsec(String owner, String next, int... types) {
        List<Integer> t = new ArrayList<>(List.of(Type.NSEC, Type.RRSIG));
        for (int x : types) {
            t.add(x);
        }
        return Record.in(Name.of(owner), 300, new Rdata.Nsec(Name.of(next), t));
    }

    static List<Record> soa(ZoneSigner z) {
        return z.signed(Record.in(z.zone, 300, new Rdata.Soa(Name.of("ns." + z.zone), Name.of("h." + z.zone), 1, 2, 3, 4, 300)));
    }

    /** The NSEC records of example.'s zone, in canonical order, each signed. */
    List<Record> exampleNsec(String owner) {
        return switch (owner) {
            case "example." -> example.signed(nsec("example.", "insecure.example.", Type.SOA, Type.NS, Type.DNSKEY));
            case "insecure.example." -> example.signed(nsec("insecure.example.", "sub.example.", Type.NS));
            case "sub.example." -> example.signed(nsec("sub.example.", "*.wild.example.", Type.NS, Type.DS));
            case "*.wild.example." -> example.signed(nsec("*.wild.example.", "www.example.", Type.A));
            case "www.example." -> example.signed(nsec("www.example.", "example.", Type.A));
            default -> throw new IllegalArgumentException(owner);
        };
    }

    static Bytes hash(Name name, int iterations) {
        return Dnssec.nsec3Hash(name, 1, iterations, Bytes.EMPTY).orElseThrow();
    }

    /** NSEC3 (SHA-1, no salt) of nsec3.test.: the apex and www, a ring of two, each signed. */
    List<Record> nsec3Chain(int iterations, int flags) {
        Bytes apex = hash(N3, iterations), www = hash(Name.of("www.nsec3.test."), iterations);
        List<Record> out = new ArrayList<>();
        out.addAll(n3.signed(Record.in(Name.parse(Base32Hex.encode(apex), N3).orElseThrow(), 300,
                new Rdata.Nsec3(1, flags, iterations, Bytes.EMPTY, www, List.of(Type.SOA, Type.NS, Type.DNSKEY, Type.RRSIG)))));
        out.addAll(n3.signed(Record.in(Name.parse(Base32Hex.encode(www), N3).orElseThrow(), 300,
                new Rdata.Nsec3(1, flags, iterations, Bytes.EMPTY, apex, List.of(Type.A, Type.RRSIG)))));
        return out;
    }
}
