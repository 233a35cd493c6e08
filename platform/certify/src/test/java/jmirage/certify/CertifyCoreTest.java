package jmirage.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.dns.DnsClass;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.tsig.TsigAlgorithm;
import jmirage.dns.tsig.TsigKey;
import jmirage.sim.SeededRandom;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.X509;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.junit.jupiter.api.Test;

/** The pure decisions: which records are our CSR, which certificate is current, the update, the schedule. */
class CertifyCoreTest {

    static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    static final SeededRandom RANDOM = new SeededRandom(17);
    static final TestCa CA = TestCa.create(RANDOM, NOW);
    static final CertifyConfig CONFIG = new CertifyConfig(new Endpoint(java.net.InetAddress.getLoopbackAddress(), 53),
            new TsigKey(Name.of("host._update.example.org."), TsigAlgorithm.HMAC_SHA256, Bytes.utf8("0123456789abcdef")),
            Name.of("example.org."), Name.of("www.example.org."), List.of(Name.of("cal.example.org.")));
    static final KeyPair KEY = KeyPair.generate(KeyType.EC_P256, RANDOM);
    static final KeyPair OTHER = KeyPair.generate(KeyType.EC_P256, RANDOM);
    static final List<String> NAMES = CONFIG.dnsNames();

    static SubjectPublicKeyInfo spki(KeyPair k) throws Exception {
        return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(k.publicKey());
    }

    static Record tlsa(int usage, int selector, Bytes data) {
        return Record.in(CONFIG.recordName(), 300, new Rdata.Tlsa(usage, selector, 0, data));
    }

    static Record csr(KeyPair key, List<String> names) {
        return tlsa(3, 255, X509.csr(names.getFirst(), names, key, RANDOM).der());
    }

    static Record leaf(Certificate c) {
        return tlsa(3, 0, c.der());
    }

    static List<Record> chain() {
        return List.of(tlsa(0, 0, CA.intermediate().der()), tlsa(0, 0, CA.root().der()));
    }

    @Test
    void noRecordsMeansPublishAndNoCertificate() throws Exception {
        CertifyCore.Observation seen = CertifyCore.observe(NOW, spki(KEY), NAMES, List.of());
        assertFalse(seen.csrPublished());
        assertEquals(Optional.empty(), seen.current());
    }

    @Test
    void ourCsrIsRecognisedByKeyAndNamesAndOthersAreStale() throws Exception {
        Record ours = csr(KEY, NAMES);
        Record otherKey = csr(OTHER, NAMES);
        Record fewerNames = csr(KEY, List.of("www.example.org"));
        Record garbage = tlsa(3, 255, Bytes.utf8("not a CSR"));
        CertifyCore.Observation seen = CertifyCore.observe(NOW, spki(KEY), NAMES, List.of(otherKey, ours, fewerNames, garbage));
        assertTrue(seen.csrPublished());
        assertEquals(List.of(otherKey, fewerNames, garbage), seen.staleCsrs());
        CertifyCore.Observation without = CertifyCore.observe(NOW, spki(KEY), NAMES, List.of(otherKey));
        assertFalse(without.csrPublished());
        assertEquals(List.of(otherKey), without.staleCsrs());
    }

    @Test
    void aCertificateForOurKeyIsCurrentWithItsChainInIssuerOrder() throws Exception {
        Certificate c = CA.issue(NAMES, KEY, NOW.minusSeconds(60), NOW.plus(Duration.ofDays(90)));
        List<Record> records = new ArrayList<>(List.of(tlsa(0, 0, CA.root().der()), leaf(c), tlsa(0, 0, CA.intermediate().der())));
        CertifyCore.Observation seen = CertifyCore.observe(NOW, spki(KEY), NAMES, records);
        assertEquals(Optional.of(List.of(c, CA.intermediate(), CA.root())), seen.current());
        assertEquals(List.of(), seen.ignored());
    }

    @Test
    void certificatesNotOursOrNotValidNowAreIgnoredWithTheReason() throws Exception {
        Certificate otherKey = CA.issue(NAMES, OTHER, NOW.minusSeconds(60), NOW.plus(Duration.ofDays(90)));
        Certificate expired = CA.issue(NAMES, KEY, NOW.minus(Duration.ofDays(90)), NOW.minusSeconds(1));
        Certificate future = CA.issue(NAMES, KEY, NOW.plusSeconds(60), NOW.plus(Duration.ofDays(90)));
        Certificate lacking = CA.issue(List.of("www.example.org"), KEY, NOW.minusSeconds(60), NOW.plus(Duration.ofDays(90)));
        CertifyCore.Observation seen = CertifyCore.observe(NOW, spki(KEY), NAMES,
                List.of(leaf(otherKey), leaf(expired), leaf(future), leaf(lacking)));
        assertEquals(Optional.empty(), seen.current());
        assertEquals(List.of(new CertifyCore.Ignored(otherKey, new CertifyCore.Verdict.OtherKey()),
                new CertifyCore.Ignored(expired, new CertifyCore.Verdict.Expired(expired.notAfter())),
                new CertifyCore.Ignored(future, new CertifyCore.Verdict.NotYetValid(future.notBefore())),
                new CertifyCore.Ignored(lacking, new CertifyCore.Verdict.MissingName("cal.example.org"))), seen.ignored());
    }

    @Test
    void theCertificateExpiringLastWins() throws Exception {
        Certificate old = CA.issue(NAMES, KEY, NOW.minus(Duration.ofDays(80)), NOW.plus(Duration.ofDays(10)));
        Certificate renewed = CA.issue(NAMES, KEY, NOW.minusSeconds(10), NOW.plus(Duration.ofDays(90)));
        for (List<Record> order : List.of(List.of(leaf(old), leaf(renewed)), List.of(leaf(renewed), leaf(old)))) {
            assertEquals(renewed, CertifyCore.observe(NOW, spki(KEY), NAMES, order).current().orElseThrow().getFirst());
        }
    }

    @Property(tries = 30)
    void theCurrentCertificateDoesNotDependOnRecordOrder(@ForAll long seed) throws Exception {
        Certificate a = CA.issue(NAMES, KEY, NOW.minusSeconds(10), NOW.plus(Duration.ofDays(30)));
        List<Record> records = new ArrayList<>(List.of(leaf(a), csr(KEY, NAMES), leaf(EXPIRED_OTHER)));
        records.addAll(chain());
        Collections.shuffle(records, new java.util.Random(seed));
        CertifyCore.Observation seen = CertifyCore.observe(NOW, spki(KEY), NAMES, records);
        assertEquals(Optional.of(List.of(a, CA.intermediate(), CA.root())), seen.current());
        assertTrue(seen.csrPublished());
    }

    static final Certificate EXPIRED_OTHER = CA.issue(NAMES, OTHER, NOW.minus(Duration.ofDays(9)), NOW.minusSeconds(5));

    @Test
    void theUpdateDeletesStaleCsrsAndAddsOursInTheKeysZone() throws Exception {
        Record stale = csr(OTHER, NAMES);
        jmirage.tls.x509.Csr ours = X509.csr("www.example.org", NAMES, KEY, RANDOM);
        Message update = CertifyCore.update(CONFIG, ours, List.of(stale), 4711);
        Message back = MessageCodec.decode(MessageCodec.encode(update)).orElseThrow();
        assertEquals(Header.UPDATE, back.header().opcode());
        assertEquals(Name.of("example.org."), back.questions().getFirst().name());
        assertEquals(Type.SOA, back.questions().getFirst().qtype());
        assertEquals(List.of(), back.answers());
        assertEquals(List.of(new Record(CONFIG.recordName(), DnsClass.NONE, 0, stale.rdata()),
                Record.in(CONFIG.recordName(), CertifyCore.CSR_TTL, new Rdata.Tlsa(3, 255, 0, ours.der()))), back.authority());
        assertTrue(CertifyCore.observe(NOW, spki(KEY), NAMES, List.of(back.authority().getLast())).csrPublished());
    }

    @Test
    void answersMustBeOursAndNxdomainIsNoRecords() {
        Message query = CertifyCore.query(CONFIG, 7);
        Header reply = new Header(7, true, Header.QUERY, true, false, false, false, false, false, false, Header.NOERROR);
        Record r = csr(KEY, NAMES);
        Message ok = new Message(reply, query.questions(), List.of(r, Record.in(CONFIG.recordName(), 60,
                new Rdata.Txt(List.of(Bytes.utf8("x"))))), List.of(), List.of(), Optional.empty());
        assertEquals(Result.ok(List.of(r)), CertifyCore.answer(query, MessageCodec.encode(ok)));
        assertEquals(Result.ok(List.of()), CertifyCore.answer(query, MessageCodec.encode(ok.withHeader(
                new Header(7, true, 0, true, false, false, false, false, false, false, Header.NXDOMAIN)))));
        assertInstanceOf(CertifyError.Refused.class, error(CertifyCore.answer(query, MessageCodec.encode(ok.withHeader(
                new Header(7, true, 0, true, false, false, false, false, false, false, Header.REFUSED))))));
        assertInstanceOf(CertifyError.BadAnswer.class, error(CertifyCore.answer(query, MessageCodec.encode(ok.withHeader(reply.withId(8))))));
        assertInstanceOf(CertifyError.BadAnswer.class, error(CertifyCore.answer(query, Bytes.utf8("short"))));
    }

    static CertifyError error(Result<List<Record>, CertifyError> r) {
        return r instanceof Result.Err<List<Record>, CertifyError>(CertifyError e) ? e : null;
    }

    @Test
    void pollingFollowsTheCertificatesRemainingLifetime() {
        Certificate ninetyDays = CA.issue(NAMES, KEY, NOW.minusSeconds(10), NOW.plus(Duration.ofDays(90)));
        Certificate thirtySeconds = CA.issue(NAMES, KEY, NOW.minusSeconds(10), NOW.plusSeconds(30));
        Certificate nearEnd = CA.issue(NAMES, KEY, NOW.minus(Duration.ofDays(90)), NOW.plus(Duration.ofMinutes(30)));
        assertEquals(Duration.ofHours(1), CertifyCore.nextPoll(NOW, Optional.of(ninetyDays), 0));
        assertEquals(Duration.ofSeconds(3), CertifyCore.nextPoll(NOW, Optional.of(thirtySeconds), 0));
        assertEquals(Duration.ofMinutes(3), CertifyCore.nextPoll(NOW, Optional.of(nearEnd), 0));
        assertEquals(Duration.ofSeconds(2), CertifyCore.nextPoll(NOW, Optional.empty(), 1));
        assertEquals(Duration.ofSeconds(4), CertifyCore.nextPoll(NOW, Optional.empty(), 2));
        assertEquals(Duration.ofMinutes(5), CertifyCore.nextPoll(NOW, Optional.empty(), 12));
        assertEquals(Duration.ofSeconds(8), CertifyCore.nextPoll(NOW.plus(Duration.ofDays(91)), Optional.of(ninetyDays), 3),
                "an expired certificate polls as if there were none");
    }

    @Property
    void withoutACertificateTheWaitGrowsAndStaysWithinBounds(@ForAll @IntRange(min = 0, max = 10_000) int misses) {
        Duration wait = CertifyCore.nextPoll(NOW, Optional.empty(), misses);
        Duration after = CertifyCore.nextPoll(NOW, Optional.empty(), misses + 1);
        assertTrue(wait.compareTo(Duration.ofSeconds(2)) >= 0 && wait.compareTo(Duration.ofMinutes(5)) <= 0, wait::toString);
        assertTrue(after.compareTo(wait) >= 0);
    }

    @Property
    void withACertificateTheWaitNeverPassesATenthOfWhatIsLeftUnlessAtTheFloor(
            @ForAll @IntRange(min = 1, max = 200 * 24 * 3600) int secondsLeft) {
        Duration wait = CertifyCore.nextPoll(NOW, Optional.of(LONG), 0);
        Instant at = LONG.notAfter().minusSeconds(secondsLeft);
        Duration w = CertifyCore.nextPoll(at, Optional.of(LONG), 0);
        assertTrue(w.compareTo(Duration.ofSeconds(2)) >= 0 && w.compareTo(Duration.ofHours(1)) <= 0, w::toString);
        assertTrue(w.equals(Duration.ofSeconds(2)) || w.compareTo(Duration.ofSeconds(secondsLeft).dividedBy(10)) <= 0, w::toString);
        assertEquals(Duration.ofHours(1), wait);
    }

    static final Certificate LONG = CA.issue(NAMES, KEY, NOW.minusSeconds(10), NOW.plus(Duration.ofDays(200)));
}
