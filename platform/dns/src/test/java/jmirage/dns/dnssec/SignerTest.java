package jmirage.dns.dnssec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.sim.SeededRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class SignerTest {

    static final Name ORIGIN = Name.of("example.");
    static final Signer.Validity VALIDITY = new Signer.Validity(Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2026-02-01T00:00:00Z"));
    static final Instant DURING = Instant.parse("2026-01-15T00:00:00Z");

    static final SigningKey CSK = SigningKey.generate(Dnssec.ED25519, SigningKey.KSK, new SeededRandom(1)).orElseThrow();
    static final SigningKey KSK = SigningKey.generate(Dnssec.ECDSAP256SHA256, SigningKey.KSK, new SeededRandom(2)).orElseThrow();
    static final SigningKey ZSK = SigningKey.generate(Dnssec.ECDSAP256SHA256, SigningKey.ZONE, new SeededRandom(3)).orElseThrow();
    static final SigningKey RSA_KSK = SigningKey.generate(Dnssec.RSASHA256, SigningKey.KSK, new SeededRandom(4)).orElseThrow();
    static final SigningKey RSA_ZSK = SigningKey.generate(Dnssec.RSASHA256, SigningKey.ZONE, new SeededRandom(5)).orElseThrow();

    static final List<List<SigningKey>> KEY_SETS = List.of(List.of(CSK), List.of(KSK, ZSK), List.of(RSA_KSK, RSA_ZSK));
    static final List<Signer.Denial> DENIALS = List.of(Signer.Denial.NSEC, Signer.Denial.RFC9276,
            Signer.Denial.RFC9276_OPT_OUT, new Signer.Denial.Nsec3(3, Bytes.fromHex("cafe"), false));

    static Inet4Address ip(int last) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) last});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A zone of random shape from a seed: names up to three labels deep, a wildcard, delegations with glue, some with DS. */
    static List<Record> randomZone(long seed) {
        java.util.Random r = new java.util.Random(seed);
        List<Record> zone = new ArrayList<>();
        zone.add(Record.in(ORIGIN, 3600, new Rdata.Soa(Name.of("ns.example."), Name.of("admin.example."), 1, 7200, 900,
                86400, 300)));
        zone.add(Record.in(ORIGIN, 3600, new Rdata.Ns(Name.of("ns.example."))));
        zone.add(Record.in(Name.of("ns.example."), 3600, new Rdata.A(ip(1))));
        String[] labels = {"a", "b", "c", "*", "www", "x-y"};
        int names = 1 + r.nextInt(12);
        for (int i = 0; i < names; i++) {
            StringBuilder name = new StringBuilder();
            int depth = 1 + r.nextInt(3);
            for (int d = 0; d < depth; d++) {
                String l = labels[r.nextInt(labels.length)];
                if (l.equals("*") && d != 0) {
                    l = "w";
                }
                name.append(l).append('.');
            }
            Name n = Name.of(name + "example.");
            switch (r.nextInt(3)) {
                case 0 -> zone.add(Record.in(n, 300, new Rdata.A(ip(2 + r.nextInt(200)))));
                case 1 -> zone.add(Record.in(n, 300, new Rdata.Txt(List.of(Bytes.utf8("t" + i)))));
                default -> zone.add(Record.in(n, 300, new Rdata.Mx(10, Name.of("mail.example."))));
            }
        }
        int cuts = r.nextInt(4);
        for (int i = 0; i < cuts; i++) {
            Name cut = Name.of("sub" + i + (r.nextBoolean() ? ".deep" : "") + ".example.");
            Name ns = Name.of("ns." + cut);
            zone.add(Record.in(cut, 3600, new Rdata.Ns(ns)));
            zone.add(Record.in(ns, 3600, new Rdata.A(ip(100 + i)))); // glue
            if (r.nextBoolean()) {
                zone.add(Record.in(cut, 3600, new Rdata.Ds(1000 + i, 13, 2, Bytes.fromHex("00112233"))));
            }
        }
        return zone;
    }

    @Property(tries = 40)
    void everySignatureVerifiesAndTheChainCoversEveryName(@ForAll long seed) {
        List<Record> zone = randomZone(seed);
        int k = (int) Math.floorMod(seed, (long) KEY_SETS.size());
        Signer.Denial denial = DENIALS.get((int) Math.floorMod(seed >> 8, (long) DENIALS.size()));
        Signer.Signed signed = Signer.sign(ORIGIN, zone, KEY_SETS.get(k), VALIDITY, denial).orElseThrow();
        List<Record> out = signed.records();
        Set<Name> cuts = cuts(out);
        assertSignaturesVerify(out, KEY_SETS.get(k));
        assertAuthoritativeSetsSignedAndOthersNot(out, cuts);
        switch (denial) {
            case Signer.Denial.Nsec n -> assertNsecChain(out, cuts);
            case Signer.Denial.Nsec3 n3 -> assertNsec3Chain(out, cuts, n3);
        }
        for (Record ds : signed.ds()) {
            Rdata.Dnskey key = out.stream().map(Record::rdata).filter(d -> d instanceof Rdata.Dnskey dk
                    && Dnssec.keyTag(dk) == ((Rdata.Ds) ds.rdata()).keyTag()).map(d -> (Rdata.Dnskey) d).findFirst().orElseThrow();
            assertEquals(Dnssec.ds(ORIGIN, key, Dnssec.DIGEST_SHA256).orElseThrow(), ds.rdata());
            assertEquals(1, key.flags() & 1, "the DS is of a KSK");
        }
    }

    static Set<Name> cuts(List<Record> zone) {
        return zone.stream().filter(r -> r.type() == Type.NS && !r.name().equals(ORIGIN)).map(Record::name)
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }

    static boolean below(Name n, Set<Name> cuts) {
        return cuts.stream().anyMatch(c -> !n.equals(c) && n.isSubdomainOf(c));
    }

    static void assertSignaturesVerify(List<Record> zone, List<SigningKey> keys) {
        Map<Integer, Rdata.Dnskey> dnskeys = new HashMap<>();
        keys.forEach(k -> dnskeys.put(k.keyTag(), k.dnskey()));
        int verified = 0;
        for (Record r : zone) {
            if (r.rdata() instanceof Rdata.Rrsig sig) {
                List<Record> rrset = zone.stream().filter(x -> x.name().equals(r.name()) && x.type() == sig.typeCovered()).toList();
                assertEquals(Result.ok(), Dnssec.verify(sig, dnskeys.get(sig.keyTag()), ORIGIN, rrset, DURING), r.toString());
                assertEquals(rrset.getFirst().ttl(), r.ttl(), "an RRSIG has the TTL of what it covers");
                if (sig.typeCovered() == Type.DNSKEY && keys.size() > 1) {
                    assertEquals(1, dnskeys.get(sig.keyTag()).flags() & 1, "the KSK signs the DNSKEY RRset");
                } else if (keys.size() > 1) {
                    assertEquals(0, dnskeys.get(sig.keyTag()).flags() & 1, "the ZSK signs the rest");
                }
                verified++;
            }
        }
        assertTrue(verified >= 3, "signatures over SOA, NS, DNSKEY at least: " + verified);
    }

    static void assertAuthoritativeSetsSignedAndOthersNot(List<Record> zone, Set<Name> cuts) {
        Set<String> signedSets = new HashSet<>();
        Set<String> sets = new HashSet<>();
        for (Record r : zone) {
            if (r.rdata() instanceof Rdata.Rrsig sig) {
                signedSets.add(r.name() + "/" + sig.typeCovered());
            } else {
                sets.add(r.name() + "/" + r.type());
            }
        }
        for (Record r : zone) {
            if (r.type() == Type.RRSIG) {
                continue;
            }
            boolean authoritative = !below(r.name(), cuts) && (!cuts.contains(r.name()) || r.type() == Type.DS
                    || r.type() == Type.NSEC);
            assertEquals(authoritative, signedSets.contains(r.name() + "/" + r.type()), r.toString());
        }
        assertTrue(sets.containsAll(signedSets), "no RRSIG without its RRset");
    }

    static void assertNsecChain(List<Record> zone, Set<Name> cuts) {
        TreeMap<Name, Set<Integer>> types = new TreeMap<>();
        zone.forEach(r -> types.computeIfAbsent(r.name(), n -> new TreeSet<>()).add(r.type()));
        types.keySet().removeIf(n -> below(n, cuts));
        List<Name> owners = new ArrayList<>(types.keySet());
        Map<Name, Rdata.Nsec> nsec = new HashMap<>();
        zone.stream().filter(r -> r.rdata() instanceof Rdata.Nsec).forEach(r -> nsec.put(r.name(), (Rdata.Nsec) r.rdata()));
        assertEquals(new TreeSet<>(owners), new TreeSet<>(nsec.keySet()), "one NSEC per authoritative name");
        for (int i = 0; i < owners.size(); i++) {
            Rdata.Nsec n = nsec.get(owners.get(i));
            assertEquals(owners.get((i + 1) % owners.size()), n.next());
            assertEquals(List.copyOf(types.get(owners.get(i))), n.types(), "bitmap of " + owners.get(i));
        }
        assertTrue(zone.stream().noneMatch(r -> r.type() == Type.NSEC3 || r.type() == Type.NSEC3PARAM));
    }

    static void assertNsec3Chain(List<Record> zone, Set<Name> cuts, Signer.Denial.Nsec3 params) {
        TreeMap<Name, Set<Integer>> types = new TreeMap<>();
        zone.stream().filter(r -> r.type() != Type.NSEC3 && !(r.rdata() instanceof Rdata.Rrsig s && s.typeCovered() == Type.NSEC3))
                .forEach(r -> types.computeIfAbsent(r.name(), n -> new TreeSet<>()).add(r.type()));
        types.keySet().removeIf(n -> below(n, cuts));
        if (params.optOut()) {
            types.keySet().removeIf(n -> cuts.contains(n) && !types.get(n).contains(Type.DS));
        }
        // the names and the empty non-terminals above them
        TreeMap<Name, Set<Integer>> expected = new TreeMap<>(types);
        for (Name n : types.keySet()) {
            for (Name up = n; !up.equals(ORIGIN); ) {
                up = up.parent(1);
                expected.putIfAbsent(up, Set.of());
            }
        }
        Rdata.Nsec3param param = params.param();
        assertTrue(zone.contains(new Record(ORIGIN, 1, 0, param)), "NSEC3PARAM at the apex");
        TreeMap<Bytes, Rdata.Nsec3> chain = new TreeMap<>();
        for (Record r : zone) {
            if (r.rdata() instanceof Rdata.Nsec3 n3) {
                Bytes hash = jmirage.dns.Base32Hex.decode(new String(r.name().label(0), java.nio.charset.StandardCharsets.US_ASCII))
                        .orElseThrow();
                chain.put(hash, n3);
                assertEquals(params.optOut() ? 1 : 0, n3.flags());
            }
        }
        assertEquals(expected.size(), chain.size(), "one NSEC3 per name and empty non-terminal");
        for (Map.Entry<Name, Set<Integer>> e : expected.entrySet()) {
            Bytes h = Dnssec.nsec3Hash(e.getKey(), 1, param.iterations(), param.salt()).orElseThrow();
            Rdata.Nsec3 n3 = chain.get(h);
            assertTrue(n3 != null, "NSEC3 for " + e.getKey());
            assertEquals(List.copyOf(e.getValue()), n3.types(), "bitmap of " + e.getKey());
        }
        List<Bytes> hashes = new ArrayList<>(chain.keySet());
        for (int i = 0; i < hashes.size(); i++) {
            assertEquals(hashes.get((i + 1) % hashes.size()), chain.get(hashes.get(i)).nextHashedOwner());
        }
        assertFalse(zone.stream().anyMatch(r -> r.type() == Type.NSEC));
    }

    @Test
    void aWildcardIsSignedWithTheLabelsOfItsParent() {
        List<Record> zone = new ArrayList<>(randomZone(0));
        Name wild = Name.of("*.w.example.");
        zone.add(Record.in(wild, 60, new Rdata.A(ip(9))));
        List<Record> out = Signer.sign(ORIGIN, zone, List.of(CSK), VALIDITY, Signer.Denial.NSEC).orElseThrow().records();
        Rdata.Rrsig sig = out.stream().filter(r -> r.name().equals(wild) && r.rdata() instanceof Rdata.Rrsig s
                && s.typeCovered() == Type.A).map(r -> (Rdata.Rrsig) r.rdata()).findFirst().orElseThrow();
        assertEquals(2, sig.labels(), "RFC 4034 3.1.3: the '*' label is not counted");
        // an expansion verifies against the same signature (RFC 4035 5.3.2)
        List<Record> expanded = List.of(Record.in(Name.of("x.w.example."), 60, new Rdata.A(ip(9))));
        assertEquals(Result.ok(), Dnssec.verify(sig, CSK.dnskey(), ORIGIN, expanded, DURING));
    }

    @Test
    void signingIsDeterministic() {
        List<Record> zone = randomZone(7);
        for (List<SigningKey> keys : KEY_SETS) {
            assertEquals(Signer.sign(ORIGIN, zone, keys, VALIDITY, Signer.Denial.RFC9276),
                    Signer.sign(ORIGIN, zone, keys, VALIDITY, Signer.Denial.RFC9276));
        }
    }

    @Test
    void aZoneWithoutSoaOrKeysOrWithAForeignNameIsRefused() {
        List<Record> zone = randomZone(3);
        assertInstanceOf(SignerError.NoKeys.class, err(Signer.sign(ORIGIN, zone, List.of(), VALIDITY, Signer.Denial.NSEC)));
        assertInstanceOf(SignerError.NoSoa.class, err(Signer.sign(ORIGIN, zone.stream().filter(r -> r.type() != Type.SOA)
                .toList(), List.of(CSK), VALIDITY, Signer.Denial.NSEC)));
        List<Record> foreign = new ArrayList<>(zone);
        foreign.add(Record.in(Name.of("other."), 60, new Rdata.A(ip(1))));
        assertInstanceOf(SignerError.OutsideZone.class, err(Signer.sign(ORIGIN, foreign, List.of(CSK), VALIDITY,
                Signer.Denial.NSEC)));
        SigningKey notZone = new SigningKey(new Rdata.Dnskey(0, 3, 15, CSK.dnskey().publicKey()), CSK.privateKey());
        assertInstanceOf(SignerError.NotZoneKey.class, err(Signer.sign(ORIGIN, zone, List.of(notZone), VALIDITY,
                Signer.Denial.NSEC)));
        assertInstanceOf(SignerError.UnsupportedAlgorithm.class, err(SigningKey.generate(5, SigningKey.KSK,
                new SeededRandom(1))));
    }

    @Test
    void aPreviouslySignedZoneIsSignedAgainFromItsData() {
        List<Record> zone = randomZone(11);
        List<Record> once = Signer.sign(ORIGIN, zone, List.of(CSK), VALIDITY, Signer.Denial.NSEC).orElseThrow().records();
        assertEquals(once, Signer.sign(ORIGIN, once, List.of(CSK), VALIDITY, Signer.Denial.NSEC).orElseThrow().records());
    }

    static <T, E> E err(Result<T, E> r) {
        return switch (r) {
            case Result.Err<T, E>(E e) -> e;
            case Result.Ok<T, E> ok -> throw new AssertionError("expected an error, got " + ok);
        };
    }
}
