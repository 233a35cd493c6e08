package jmirage.resolver.validate;

import static jmirage.resolver.validate.TestWorld.a;
import static jmirage.resolver.validate.TestWorld.answer;
import static jmirage.resolver.validate.TestWorld.message;
import static jmirage.resolver.validate.TestWorld.soa;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.dnssec.Dnssec;
import jmirage.resolver.core.Security;
import org.junit.jupiter.api.Test;

class ValidatorTest {

    final TestWorld world = new TestWorld(Dnssec.ECDSAP256SHA256);
    final Validator validator = world.validator(ValidatorConfig.defaults());

    Validated validate(String name, int type, Message response) {
        Validated v = validator.validate(new Question(Name.of(name), type), response).value();
        return v;
    }

    static int ede(Validated v) {
        return assertInstanceOf(Security.Bogus.class, v.security(), v.toString()).edeCode();
    }

    @Test
    void signedAnswerIsSecureWithAdAndTheKeysAreFetchedOnce() {
        Message m = answer(world.example.signed(a("www.example.", "192.0.2.1")), List.of());
        Validated v = validate("www.example.", Type.A, m);
        assertEquals(Security.SECURE, v.security());
        assertTrue(v.response().header().ad());
        assertEquals(2, v.response().answers().size());
        validate("www.example.", Type.A, m);
        assertEquals(List.of(new Question(TestWorld.EXAMPLE, Type.DNSKEY)), world.asked);
        assertEquals(1, validator.cachedZones());
    }

    @Test
    void rsaAndEd25519ZonesValidateThroughAChildDelegation() {
        TestWorld rsa = new TestWorld(Dnssec.RSASHA256);
        Validator v = rsa.validator(ValidatorConfig.defaults());
        Message m = answer(rsa.sub.signed(a("www.sub.example.", "192.0.2.7")), List.of());
        assertEquals(Security.SECURE, v.validate(new Question(Name.of("www.sub.example."), Type.A), m).value().security());
        assertEquals(List.of(new Question(TestWorld.EXAMPLE, Type.DNSKEY), new Question(TestWorld.SUB, Type.DS),
                new Question(TestWorld.SUB, Type.DNSKEY)), rsa.asked);
    }

    @Test
    void wrongSignatureIsBogusWithEde6() {
        List<Record> signed = world.example.signed(a("www.example.", "192.0.2.1"));
        Message m = answer(List.of(a("www.example.", "192.0.2.2"), signed.get(1)), List.of());
        Validated v = validate("www.example.", Type.A, m);
        assertEquals(6, ede(v));
    }

    @Test
    void expiredAndNotYetValidSignaturesHaveTheirOwnCodes() {
        Record rr = a("www.example.", "192.0.2.1");
        Message expired = answer(List.of(rr, world.example.sign(List.of(rr), 1_600_000_000L, 1_700_000_000L)), List.of());
        assertEquals(7, ede(validate("www.example.", Type.A, expired)));
        Message early = answer(List.of(rr, world.example.sign(List.of(rr), 1_760_000_000L, 1_800_000_000L)), List.of());
        assertEquals(8, ede(validate("www.example.", Type.A, early)));
    }

    @Test
    void missingRrsigInASecureZoneIsBogusWithEde10() {
        world.serve(new Question(Name.of("www.example."), Type.DS), answer(List.of(), concat(soa(world.example),
                world.exampleNsec("www.example."))));
        Validated v = validate("www.example.", Type.A, answer(List.of(a("www.example.", "192.0.2.1")), List.of()));
        assertEquals(10, ede(v));
    }

    @Test
    void nxdomainWithNsecIsSecureAndWithoutTheWildcardProofBogus() {
        List<Record> auth = concat(soa(world.example), world.exampleNsec("insecure.example."), world.exampleNsec("example."));
        Validated v = validate("nx.example.", Type.A, message(Header.NXDOMAIN, List.of(), auth));
        assertEquals(Security.SECURE, v.security());
        assertEquals(6, v.response().authority().size());
        List<Record> noWildcard = concat(soa(world.example), world.exampleNsec("insecure.example."));
        assertEquals(12, ede(validate("nx.example.", Type.A, message(Header.NXDOMAIN, List.of(), noWildcard))));
    }

    @Test
    void nodataWithNsecIsSecureAndAnNsecListingTheTypeIsBogus() {
        List<Record> auth = concat(soa(world.example), world.exampleNsec("www.example."));
        assertEquals(Security.SECURE, validate("www.example.", Type.MX, answer(List.of(), auth)).security());
        assertEquals(12, ede(validate("www.example.", Type.A, answer(List.of(), auth))));
    }

    @Test
    void wildcardAnswerNeedsTheNsecProvingTheNameAbsent() {
        Record wild = a("*.wild.example.", "192.0.2.9");
        Record sig = world.example.sign(List.of(wild));
        Record expanded = a("x.wild.example.", "192.0.2.9");
        Record expandedSig = new Record(expanded.name(), expanded.rrClass(), expanded.ttl(), sig.rdata());
        Message proved = answer(List.of(expanded, expandedSig), world.exampleNsec("*.wild.example."));
        assertEquals(Security.SECURE, validate("x.wild.example.", Type.A, proved).security());
        Message unproved = answer(List.of(expanded, expandedSig), List.of());
        assertEquals(12, ede(validate("x.wild.example.", Type.A, unproved)));
    }

    @Test
    void unsignedAnswerBelowADelegationWithoutDsIsInsecure() {
        Validated v = validate("www.insecure.example.", Type.A, answer(List.of(a("www.insecure.example.", "192.0.2.3")), List.of()));
        assertEquals(Security.INSECURE, v.security());
        assertFalse(v.response().header().ad());
    }

    @Test
    void zoneSignedOnlyWithADisabledAlgorithmIsInsecure() {
        TestWorld ed = new TestWorld(Dnssec.ED25519);
        Validator v = ed.validator(ValidatorConfig.defaults().withAlgorithms(Set.of(8, 13)));
        Message m = answer(ed.example.signed(a("www.example.", "192.0.2.1")), List.of());
        assertEquals(Security.INSECURE, v.validate(new Question(Name.of("www.example."), Type.A), m).value().security());
    }

    @Test
    void nxdomainWithNsec3IsSecureAndAboveTheIterationLimitInsecure() {
        List<Record> auth = concat(soa(world.n3), world.nsec3Chain(0, 0));
        Message nx = message(Header.NXDOMAIN, List.of(), auth);
        assertEquals(Security.SECURE, validate("nx.nsec3.test.", Type.A, nx).security());
        Validator strict = world.validator(ValidatorConfig.defaults().withMaxNsec3Iterations(0));
        Message many = message(Header.NXDOMAIN, List.of(), concat(soa(world.n3), world.nsec3Chain(1, 0)));
        assertEquals(Security.INSECURE,
                strict.validate(new Question(Name.of("nx.nsec3.test."), Type.A), many).value().security());
    }

    @Test
    void nodataWithNsec3MatchesTheName() {
        List<Record> auth = concat(soa(world.n3), world.nsec3Chain(0, 0));
        assertEquals(Security.SECURE, validate("www.nsec3.test.", Type.MX, answer(List.of(), auth)).security());
        assertEquals(12, ede(validate("www.nsec3.test.", Type.A, answer(List.of(), auth))));
    }

    @Test
    void cnameChainIsValidatedLinkByLink() {
        Record cname = Record.in(Name.of("alias.example."), 300, new Rdata.Cname(Name.of("www.sub.example.")));
        Message m = answer(concat(world.example.signed(cname), world.sub.signed(a("www.sub.example.", "192.0.2.7"))), List.of());
        assertEquals(Security.SECURE, validate("alias.example.", Type.A, m).security());
        Message badTail = answer(concat(world.example.signed(cname), List.of(a("www.sub.example.", "192.0.2.7"),
                world.sub.signed(a("www.sub.example.", "192.0.2.8")).get(1))), List.of());
        assertEquals(6, ede(validate("alias.example.", Type.A, badTail)));
    }

    @Test
    void aNegativeTrustAnchorMakesItsDomainInsecureWithoutAskingForKeys() {
        Validator nta = world.validator(ValidatorConfig.defaults().withNegativeAnchors(java.util.Set.of(TestWorld.SUB)));
        Message unsigned = answer(List.of(a("www.sub.example.", "192.0.2.7")), List.of());
        assertEquals(Security.INSECURE, nta.validate(new Question(Name.of("www.sub.example."), Type.A), unsigned).value().security());
        assertTrue(world.asked.isEmpty());
        Message signedOutside = answer(world.example.signed(a("www.example.", "192.0.2.1")), List.of());
        assertEquals(Security.SECURE, nta.validate(new Question(Name.of("www.example."), Type.A), signedOutside).value().security());
    }

    @Test
    void oneAnswerAsksAtMostTheFetchBudgetWhateverSignersItNames() {
        List<Record> authority = new ArrayList<>();
        for (int i = 0; i < 3 * Validator.MAX_FETCHES; i++) {
            Record nsec = TestWorld.nsec("n" + i + ".example.", "n" + (i + 1) + ".example.", Type.A);
            Record sig = world.example.sign(List.of(nsec));
            Rdata.Rrsig s = (Rdata.Rrsig) sig.rdata();
            authority.add(nsec);
            authority.add(new Record(sig.name(), sig.rrClass(), sig.ttl(), new Rdata.Rrsig(s.typeCovered(), s.algorithm(),
                    s.labels(), s.originalTtl(), s.expiration(), s.inception(), s.keyTag(), Name.of("s" + i + ".example."),
                    s.signature())));
        }
        Validated v = validate("n0.example.", Type.MX, answer(List.of(), authority));
        assertInstanceOf(Security.Bogus.class, v.security());
        assertTrue(world.asked.size() <= Validator.MAX_FETCHES, world.asked.size() + " questions");
    }

    @Test
    void namesOutsideEveryAnchorAreIndeterminate() {
        Validated v = validate("www.other.", Type.A, answer(List.of(a("www.other.", "192.0.2.1")), List.of()));
        assertEquals(Security.INDETERMINATE, v.security());
        assertTrue(world.asked.isEmpty());
    }

    @Test
    void unvalidatedAdditionalDataIsRemovedFromASecureAnswer() {
        Message m = answer(world.example.signed(a("www.example.", "192.0.2.1")), List.of())
                .withAdditional(List.of(a("ns.elsewhere.", "192.0.2.53")));
        Validated v = validate("www.example.", Type.A, m);
        assertEquals(Security.SECURE, v.security());
        assertTrue(v.response().additional().isEmpty());
    }

    @Test
    void dnskeyNotMatchingTheAnchorIsBogusWithEde9() {
        ZoneSigner impostor = new ZoneSigner(TestWorld.EXAMPLE, Dnssec.ECDSAP256SHA256);
        world.serve(new Question(TestWorld.EXAMPLE, Type.DNSKEY), answer(impostor.signed(impostor.dnskeyRecord()), List.of()));
        Message m = answer(impostor.signed(a("www.example.", "192.0.2.1")), List.of());
        assertEquals(9, ede(validate("www.example.", Type.A, m)));
    }

    @Test
    void aRevokedKeyValidatesNothing() {
        ZoneSigner revoked = new ZoneSigner(TestWorld.EXAMPLE, Dnssec.ECDSAP256SHA256, 257 | Signatures.REVOKE);
        TestWorld w = new TestWorld(Dnssec.ECDSAP256SHA256);
        w.serve(new Question(TestWorld.EXAMPLE, Type.DNSKEY), answer(revoked.signed(revoked.dnskeyRecord()), List.of()));
        Validator v = new Validator(TrustAnchors.of(List.of(revoked.ds(Dnssec.DIGEST_SHA256))).orElseThrow(),
                q -> jmirage.core.Promise.resolved(jmirage.core.Result.ok(w.authorities.get(q))), w.clock(), ValidatorConfig.defaults());
        Message m = answer(revoked.signed(a("www.example.", "192.0.2.1")), List.of());
        assertEquals(9, ede(v.validate(new Question(Name.of("www.example."), Type.A), m).value()));
    }

    @SafeVarargs
    static List<Record> concat(List<Record>... parts) {
        List<Record> out = new ArrayList<>();
        for (List<Record> p : parts) {
            out.addAll(p);
        }
        return out;
    }

}
