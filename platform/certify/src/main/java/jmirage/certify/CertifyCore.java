package jmirage.certify;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.dns.DecodeError;
import jmirage.dns.DnsClass;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.CertificateError;
import jmirage.tls.x509.Csr;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * The decisions of the certify client, pure (the time comes in as an argument): what the TLSA
 * records at {@code _letsencrypt._tcp.NAME} say (decision 11: {@code 3 255 0} a CSR, {@code 3 0 0}
 * an issued certificate, {@code 0 0 0} a certificate of the issuer chain), which certificate is
 * ours and current, what update publishes our CSR, and when to look again.
 */
public final class CertifyCore {

    /** RFC 6698 2.1.1 usage 3 (DANE-EE) with selector 255 (private use): a PKCS#10 request, as dns-certify. */
    public static final int CSR_USAGE = 3, CSR_SELECTOR = 255;
    /** Usage 3, selector 0 (full certificate), matching type 0 (no hash): the issued certificate. */
    public static final int CERT_USAGE = 3;
    /** Usage 0 (CA constraint), full certificate: one of the issuer chain. */
    public static final int CHAIN_USAGE = 0;
    /** The TTL of the CSR record we publish (dns-certify's). */
    public static final long CSR_TTL = 3600;

    static final Duration FIRST_RETRY = Duration.ofSeconds(2);
    static final Duration MAX_RETRY = Duration.ofMinutes(5);
    static final Duration MAX_POLL = Duration.ofHours(1);

    private CertifyCore() {}

    /** What a certificate is, to us. */
    public sealed interface Verdict {
        /** Ours (our key, all our names) and valid now. */
        record Usable() implements Verdict {}

        record OtherKey() implements Verdict {}

        record NotYetValid(Instant notBefore) implements Verdict {}

        record Expired(Instant notAfter) implements Verdict {}

        record MissingName(String name) implements Verdict {}

        default String describe() {
            return switch (this) {
                case Usable u -> "usable";
                case OtherKey o -> "its public key is not ours";
                case NotYetValid(Instant from) -> "not valid before " + from;
                case Expired(Instant to) -> "expired at " + to;
                case MissingName(String name) -> "does not name " + name;
            };
        }
    }

    /** A certificate published at the name that we do not take, and why. */
    public record Ignored(Certificate certificate, Verdict why) {}

    /**
     * What the records say.
     *
     * @param csrPublished whether a CSR for our key and exactly our names is there
     * @param staleCsrs the other CSR records (another key, other names, unreadable), to delete when we publish
     * @param current the best usable certificate with its chain (leaf first), the one expiring last
     * @param ignored the certificates we do not take
     */
    public record Observation(boolean csrPublished, List<Record> staleCsrs, Optional<List<Certificate>> current,
            List<Ignored> ignored) {
        public Observation {
            staleCsrs = List.copyOf(staleCsrs);
            current = current.map(List::copyOf);
            ignored = List.copyOf(ignored);
        }
    }

    /** The TLSA query for the records at {@code config.recordName()} (no recursion: we ask the primary itself). */
    public static Message query(CertifyConfig config, int id) {
        return new Message(new Header(id, false, Header.QUERY, false, false, false, false, false, false, false, 0),
                List.of(new Question(config.recordName(), Type.TLSA)), List.of(), List.of(), List.of(), Optional.empty());
    }

    /**
     * The TLSA records of the answer to {@link #query}: the answer must repeat our ID and question
     * (RFC 5452 9.1); NXDOMAIN is no records; another rcode is refused.
     */
    public static Result<List<Record>, CertifyError> answer(Message query, Bytes wire) {
        Message m;
        switch (MessageCodec.decode(wire)) {
            case Result.Ok<Message, DecodeError>(Message decoded) -> m = decoded;
            case Result.Err<Message, DecodeError>(DecodeError e) ->
                    { return Result.err(new CertifyError.BadAnswer("malformed: " + e.describe())); }
        }
        if (!m.header().qr() || m.header().id() != query.header().id() || !m.questions().equals(query.questions())) {
            return Result.err(new CertifyError.BadAnswer("the answer's ID or question is not the query's"));
        }
        if (m.header().tc()) {
            return Result.err(new CertifyError.BadAnswer("truncated"));
        }
        int rcode = m.header().rcode();
        if (rcode == Header.NXDOMAIN) {
            return Result.ok(List.of());
        }
        if (rcode != Header.NOERROR) {
            return Result.err(new CertifyError.Refused("the TLSA query", rcode));
        }
        Question q = query.questions().getFirst();
        return Result.ok(m.answers().stream()
                .filter(r -> r.type() == Type.TLSA && r.rrClass() == DnsClass.IN && r.name().equals(q.name())).toList());
    }

    /**
     * Reads the records at the name against our public key and names, at {@code now}. A CSR is ours
     * when its key and its names (subject CN and requested DNS names, as a set) are ours.
     */
    public static Observation observe(Instant now, SubjectPublicKeyInfo ours, List<String> names, List<Record> records) {
        boolean published = false;
        List<Record> stale = new ArrayList<>();
        List<Certificate> leaves = new ArrayList<>();
        List<Certificate> chain = new ArrayList<>();
        List<Ignored> ignored = new ArrayList<>();
        Set<String> wanted = lower(names);
        for (Record r : records) {
            if (!(r.rdata() instanceof Rdata.Tlsa t) || t.matchingType() != 0) {
                continue;
            }
            if (t.usage() == CSR_USAGE && t.selector() == CSR_SELECTOR) {
                Optional<CsrView> csr = CsrView.read(t.data());
                if (csr.isPresent() && csr.get().key().equals(ours) && csr.get().names().equals(wanted)) {
                    published = true;
                } else {
                    stale.add(r);
                }
            } else if (t.selector() == 0 && (t.usage() == CERT_USAGE || t.usage() == CHAIN_USAGE)) {
                if (Certificate.fromDer(t.data()) instanceof Result.Ok<Certificate, CertificateError>(Certificate c)) {
                    (t.usage() == CERT_USAGE ? leaves : chain).add(c);
                }
            }
        }
        Optional<Certificate> best = Optional.empty();
        for (Certificate leaf : leaves) {
            Verdict v = verdict(now, ours, names, leaf);
            if (v instanceof Verdict.Usable) {
                if (best.isEmpty() || later(leaf, best.get())) {
                    best = Optional.of(leaf);
                }
            } else {
                ignored.add(new Ignored(leaf, v));
            }
        }
        return new Observation(published, stale, best.map(leaf -> chainOf(leaf, chain)), ignored);
    }

    /** Whether {@code leaf} is ours (our key, every one of our names) and valid at {@code now}. */
    public static Verdict verdict(Instant now, SubjectPublicKeyInfo ours, List<String> names, Certificate leaf) {
        if (!leaf.publicKeyInfo().equals(ours)) {
            return new Verdict.OtherKey();
        }
        if (now.isBefore(leaf.notBefore())) {
            return new Verdict.NotYetValid(leaf.notBefore());
        }
        if (now.isAfter(leaf.notAfter())) {
            return new Verdict.Expired(leaf.notAfter());
        }
        Set<String> covered = lower(dnsNames(leaf));
        for (String n : names) {
            if (!covered.contains(n.toLowerCase(Locale.ROOT))) {
                return new Verdict.MissingName(n);
            }
        }
        return new Verdict.Usable();
    }

    /** The one expiring later is better; on a tie, the one issued later. */
    private static boolean later(Certificate a, Certificate b) {
        return Comparator.comparing(Certificate::notAfter).thenComparing(Certificate::notBefore).compare(a, b) > 0;
    }

    /**
     * The leaf and its issuers from the published chain certificates, each the issuer of the one
     * before (by name; DNS keeps no order in an RRset), at most all of them once.
     */
    static List<Certificate> chainOf(Certificate leaf, List<Certificate> pool) {
        List<Certificate> out = new ArrayList<>(List.of(leaf));
        List<Certificate> left = new ArrayList<>(pool);
        while (true) {
            Certificate last = out.getLast();
            if (last.subject().equals(last.issuer())) {
                return out;   // self-issued: the top
            }
            Optional<Certificate> issuer = left.stream().filter(c -> c.subject().equals(last.issuer())).findFirst();
            if (issuer.isEmpty()) {
                return out;
            }
            out.add(issuer.get());
            left.remove(issuer.get());
        }
    }

    /**
     * The update (RFC 2136) that publishes {@code csr}: the zone section names the key's zone
     * (2.3), no prerequisite, then each stale CSR record deleted (2.5.4: class NONE, TTL 0, its
     * rdata) and ours added (2.5.1).
     */
    public static Message update(CertifyConfig config, Csr csr, List<Record> stale, int id) {
        List<Record> changes = new ArrayList<>();
        for (Record r : stale) {
            changes.add(new Record(r.name(), DnsClass.NONE, 0, r.rdata()));
        }
        changes.add(Record.in(config.recordName(), CSR_TTL, new Rdata.Tlsa(CSR_USAGE, CSR_SELECTOR, 0, csr.der())));
        return new Message(new Header(id, false, Header.UPDATE, false, false, false, false, false, false, false, 0),
                List.of(new Question(config.zone(), Type.SOA, DnsClass.IN)), List.of(), changes, List.of(), Optional.empty());
    }

    /**
     * When to look again. With a usable certificate: a tenth of the time it has left, between
     * {@link #FIRST_RETRY} and an hour, so an hourly look for a renewal becomes a few minutes near
     * the end and short-lived (test) certificates are followed within seconds. Without one (or
     * after a failed look): {@link #FIRST_RETRY}, doubled after each such look, up to five minutes.
     *
     * @param misses looks in a row that found no usable certificate or failed, the one just done included
     */
    public static Duration nextPoll(Instant now, Optional<Certificate> current, int misses) {
        if (current.isPresent() && now.isBefore(current.get().notAfter())) {
            Duration tenth = Duration.between(now, current.get().notAfter()).dividedBy(10);
            return clamp(tenth, FIRST_RETRY, MAX_POLL);
        }
        int doublings = Math.min(Math.max(misses - 1, 0), 20);
        return clamp(FIRST_RETRY.multipliedBy(1L << doublings), FIRST_RETRY, MAX_RETRY);
    }

    private static Duration clamp(Duration d, Duration low, Duration high) {
        return d.compareTo(low) < 0 ? low : d.compareTo(high) > 0 ? high : d;
    }

    private static Set<String> lower(List<String> names) {
        Set<String> out = new LinkedHashSet<>();
        names.forEach(n -> out.add(n.toLowerCase(Locale.ROOT)));
        return out;
    }

    static List<String> dnsNames(Certificate c) {
        Extension san = c.extension(Extension.subjectAlternativeName);
        if (san == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (GeneralName n : GeneralNames.getInstance(san.getParsedValue()).getNames()) {
            if (n.getTagNo() == GeneralName.dNSName) {
                out.add(n.getName().toString());
            }
        }
        return out;
    }

    /** What we read in a published CSR: its key and its names (CN and requested DNS names), lower case. */
    record CsrView(SubjectPublicKeyInfo key, Set<String> names) {
        static Optional<CsrView> read(Bytes der) {
            try {
                PKCS10CertificationRequest request = new PKCS10CertificationRequest(der.toArray());
                List<String> names = new ArrayList<>();
                for (RDN rdn : request.getSubject().getRDNs(BCStyle.CN)) {
                    names.add(IETFUtils.valueToString(rdn.getFirst().getValue()));
                }
                for (Attribute attribute : request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
                    for (ASN1Encodable value : attribute.getAttributeValues()) {
                        GeneralNames sans = GeneralNames.fromExtensions(Extensions.getInstance(value),
                                Extension.subjectAlternativeName);
                        if (sans != null) {
                            for (GeneralName n : sans.getNames()) {
                                if (n.getTagNo() == GeneralName.dNSName) {
                                    names.add(n.getName().toString());
                                }
                            }
                        }
                    }
                }
                return Optional.of(new CsrView(request.getSubjectPublicKeyInfo(), lower(names)));
            } catch (IOException | RuntimeException malformed) {
                return Optional.empty();   // someone else's unreadable record: stale, deleted when we publish
            }
        }
    }
}
