package jmirage.authoritative.certify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jmirage.authoritative.zone.Zones;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.CertificateError;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * What the certify role does, as a pure function (decision 11): from the zones' CSRs and
 * certificates ({@link CertifyRecords}), the time, and its own {@link Memory} (orders in flight,
 * failures with their backoff, refusals already logged), which CSRs to order a certificate for,
 * which to refuse, and when to look again. No I/O, no clock: the same inputs give the same decision.
 *
 * <p>A CSR needs an order when no {@code TLSA 3 0 0} at its name is a certificate for it (same
 * public key, every name covered), or when that certificate's remaining validity is below
 * min(14 days, a third of its lifetime): Let's Encrypt's 90-day certificates renew 14 days before
 * expiry, a test CA's short-lived ones at two thirds of their life, never in a loop.
 */
public final class CertifyCore {

    public static final Duration RENEW_BEFORE = Duration.ofDays(14);
    public static final Duration FIRST_RETRY = Duration.ofMinutes(1);
    public static final Duration MAX_RETRY = Duration.ofDays(1);

    private CertifyCore() {}

    /** A failed order: how many in a row, when to try again, and why the last one failed. */
    public record Failure(int attempts, Instant retryAt, String reason) {}

    /**
     * What the role remembers between decisions, keyed by the CSR's DER bytes: orders in flight (since
     * when), failures, and the CSRs whose refusal was logged (logged once per CSR).
     */
    public record Memory(Map<Bytes, Instant> inFlight, Map<Bytes, Failure> failures, Set<Bytes> refused) {
        public Memory {
            inFlight = Map.copyOf(inFlight);
            failures = Map.copyOf(failures);
            refused = Set.copyOf(refused);
        }

        public static final Memory EMPTY = new Memory(Map.of(), Map.of(), Set.of());
    }

    /** Why an order is placed. */
    public enum Why {
        /** No certificate at the name is for this CSR (none yet, another key, or not every name). */
        NO_CERTIFICATE,
        /** The certificate for this CSR is within its renewal window. */
        RENEWAL
    }

    /** What the shell does. */
    public sealed interface Action {
        /** Order a certificate for {@code request}, published at {@code at}; the CSR is now in flight. */
        record Order(CertifyRecords.Published at, CertificateRequest request, Why why) implements Action {}

        /** Log, once for this CSR, that it gets no certificate. */
        record Refuse(CertifyRecords.Published at, Refusal refusal) implements Action {}
    }

    /** The memory to keep, the actions to run, and when to decide again at the latest (a renewal or a retry falls due). */
    public record Decision(Memory memory, List<Action> actions, Optional<Instant> next) {
        public Decision {
            actions = List.copyOf(actions);
        }
    }

    /** Where a CSR stands against the certificates at its name. */
    sealed interface Status {
        record Missing() implements Status {}

        record Current(Instant renewAt) implements Status {}

        record Due(Instant notAfter) implements Status {}
    }

    /** Decides, for every CSR in {@code zones} (the zones the role holds), at {@code now}. */
    public static Decision decide(Memory memory, Zones zones, Instant now) {
        List<CertifyRecords.Published> published = CertifyRecords.scan(zones);
        Set<Bytes> live = new HashSet<>();
        published.forEach(p -> live.addAll(p.csrs()));
        Map<Bytes, Instant> inFlight = new HashMap<>(memory.inFlight());
        Map<Bytes, Failure> failures = new HashMap<>(memory.failures());
        failures.keySet().retainAll(live); // a CSR taken away (or replaced) starts afresh if it comes back
        Set<Bytes> refused = new HashSet<>(memory.refused());
        refused.retainAll(live);
        List<Action> actions = new ArrayList<>();
        Instant next = null;
        for (CertifyRecords.Published p : published) {
            Optional<Refusal> refusal = Optional.empty();
            CertificateRequest request = null;
            if (p.csrs().size() > 1) {
                refusal = Optional.of(new Refusal.SeveralCsrs(p.csrs().size()));
            } else {
                switch (CertificateRequest.read(p.csrs().getFirst())) {
                    case Result.Err<CertificateRequest, Refusal>(Refusal r) -> refusal = Optional.of(r);
                    case Result.Ok<CertificateRequest, Refusal>(CertificateRequest r) -> {
                        request = r;
                        refusal = r.outside(zones);
                    }
                }
            }
            if (refusal.isPresent()) {
                if (refused.addAll(p.csrs())) {
                    actions.add(new Action.Refuse(p, refusal.get()));
                }
                continue;
            }
            refused.removeAll(p.csrs()); // accepted now (its zone came): a later refusal is logged again
            Bytes key = p.csrs().getFirst();
            if (inFlight.containsKey(key)) {
                continue;
            }
            Failure failure = failures.get(key);
            if (failure != null && now.isBefore(failure.retryAt())) {
                next = earliest(next, failure.retryAt());
                continue;
            }
            switch (status(p, request, now)) {
                case Status.Current(Instant renewAt) -> next = earliest(next, renewAt);
                case Status.Missing m -> {
                    inFlight.put(key, now);
                    actions.add(new Action.Order(p, request, Why.NO_CERTIFICATE));
                }
                case Status.Due d -> {
                    inFlight.put(key, now);
                    actions.add(new Action.Order(p, request, Why.RENEWAL));
                }
            }
        }
        return new Decision(new Memory(inFlight, failures, refused), actions, Optional.ofNullable(next));
    }

    /**
     * The memory once the order for {@code csr} ended at {@code now}: no longer in flight; on failure
     * retried after 1 minute, doubling to at most a day; on success its failures forgotten.
     */
    public static Memory finished(Memory memory, Bytes csr, Instant now, Optional<String> failure) {
        Map<Bytes, Instant> inFlight = new HashMap<>(memory.inFlight());
        inFlight.remove(csr);
        Map<Bytes, Failure> failures = new HashMap<>(memory.failures());
        if (failure.isPresent()) {
            int attempts = Optional.ofNullable(failures.get(csr)).map(Failure::attempts).orElse(0) + 1;
            failures.put(csr, new Failure(attempts, now.plus(backoff(attempts)), failure.get()));
        } else {
            failures.remove(csr);
        }
        return new Memory(inFlight, failures, memory.refused());
    }

    /** The wait after {@code attempts} failures in a row: 1 minute, doubling, at most a day. */
    public static Duration backoff(int attempts) {
        int doublings = Math.min(Math.max(attempts - 1, 0), 20);
        Duration d = FIRST_RETRY.multipliedBy(1L << doublings);
        return d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
    }

    /** When a certificate valid from {@code notBefore} to {@code notAfter} is renewed. */
    public static Instant renewAt(Instant notBefore, Instant notAfter) {
        Duration lifetime = Duration.between(notBefore, notAfter);
        Duration third = lifetime.isNegative() ? Duration.ZERO : lifetime.dividedBy(3);
        return notAfter.minus(third.compareTo(RENEW_BEFORE) < 0 ? third : RENEW_BEFORE);
    }

    static Status status(CertifyRecords.Published p, CertificateRequest request, Instant now) {
        Instant best = null;
        Instant bestNotAfter = null;
        for (Bytes der : p.certificates()) {
            if (!(Certificate.fromDer(der) instanceof Result.Ok<Certificate, CertificateError>(Certificate c))
                    || !isFor(c, request)) {
                continue;
            }
            Instant renew = renewAt(c.notBefore(), c.notAfter());
            if (best == null || renew.isAfter(best)) {
                best = renew;
                bestNotAfter = c.notAfter();
            }
        }
        if (best == null) {
            return new Status.Missing();
        }
        return now.isBefore(best) ? new Status.Current(best) : new Status.Due(bestNotAfter);
    }

    /** A certificate is the CSR's when it carries the CSR's public key and every name it asks for. */
    static boolean isFor(Certificate certificate, CertificateRequest request) {
        Bytes spki;
        try {
            spki = Bytes.adopt(certificate.publicKeyInfo().getEncoded());
        } catch (java.io.IOException e) {
            return false;
        }
        return spki.equals(request.publicKey()) && dnsNames(certificate).containsAll(request.names());
    }

    /** The DNS subjectAltNames of a certificate, lower case (RFC 5280 4.2.1.6). */
    static Set<String> dnsNames(Certificate certificate) {
        Set<String> names = new HashSet<>();
        Extension san = certificate.extension(Extension.subjectAlternativeName);
        if (san == null) {
            return names;
        }
        try {
            for (GeneralName n : GeneralNames.getInstance(san.getParsedValue()).getNames()) {
                if (n.getTagNo() == GeneralName.dNSName) {
                    names.add(n.getName().toString().toLowerCase(Locale.ROOT));
                }
            }
        } catch (RuntimeException malformed) {
            return Set.of();
        }
        return names;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }
}
