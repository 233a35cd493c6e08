package jmirage.authoritative.certify;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import jmirage.authoritative.keys.KeyEntry;
import jmirage.authoritative.keys.Operation;
import jmirage.authoritative.zone.Zone;
import jmirage.authoritative.zone.Zones;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.dns.Name;
import jmirage.dns.Type;
import jmirage.tls.x509.Csr;
import jmirage.tls.x509.CsrContents;
import jmirage.tls.x509.CsrError;
import jmirage.tls.x509.X509;

/**
 * A CSR read from a {@code TLSA 3 255 0} record: its self-signature verified, the host names it asks
 * for (the subject's common name and the DNS subjectAltNames, RFC 8555 7.4, lower case, each once,
 * common name first) and its public key (the DER SubjectPublicKeyInfo, which a certificate must
 * carry to be this CSR's).
 */
public record CertificateRequest(Csr csr, List<String> names, Bytes publicKey) {

    public CertificateRequest {
        names = List.copyOf(names);
    }

    // RFC 1123 2.1 host names; a leading "*." for a wildcard (RFC 8555 7.1.3)
    private static final Pattern HOST = Pattern.compile(
            "(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    /** Reads the DER bytes of a CSR record; a CSR that does not verify, or names no host, is refused. */
    public static Result<CertificateRequest, Refusal> read(Bytes der) {
        CsrContents contents;
        switch (X509.readCsr(new Csr(der))) {
            case Result.Err<CsrContents, CsrError>(CsrError e) -> {
                return Result.err(new Refusal.Unreadable(e));
            }
            case Result.Ok<CsrContents, CsrError>(CsrContents c) -> contents = c;
        }
        Set<String> names = new LinkedHashSet<>();
        List<String> texts = new ArrayList<>();
        contents.commonName().ifPresent(texts::add);
        texts.addAll(contents.dnsNames());
        for (String text : texts) {
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.length() > 253 || !HOST.matcher(lower).matches()) {
                return Result.err(new Refusal.NotAHostName(text));
            }
            names.add(lower);
        }
        if (names.isEmpty()) {
            return Result.err(new Refusal.NoNames());
        }
        Bytes spki;
        try {
            spki = Bytes.adopt(contents.publicKey().getEncoded());
        } catch (IOException e) {
            return Result.err(new Refusal.Unreadable(new CsrError.Malformed(String.valueOf(e.getMessage()))));
        }
        return Result.ok(new CertificateRequest(new Csr(der), List.copyOf(names), spki));
    }

    /** The DNS name each host name is validated at: a wildcard's at its base (RFC 8555 8.4: no {@code *.} label). */
    public List<Name> identifiers() {
        return names.stream().map(n -> Name.of(n.startsWith("*.") ? n.substring(2) : n)).distinct().toList();
    }

    /**
     * The first name outside {@code zones} or below a delegation in them: the role answers challenges
     * only where it is authoritative.
     */
    public Optional<Refusal> outside(Zones zones) {
        for (Name id : identifiers()) {
            Optional<Zone> zone = zones.find(id);
            if (zone.isEmpty()) {
                return Optional.of(new Refusal.OutsideZones(id));
            }
            Optional<Name> cut = cut(zone.get(), id);
            if (cut.isPresent()) {
                return Optional.of(new Refusal.BelowDelegation(id, cut.get()));
            }
        }
        return Optional.empty();
    }

    /** The delegation (NS below the apex, RFC 1034 4.2.1) at or above {@code name} in {@code zone}, if any. */
    static Optional<Name> cut(Zone zone, Name name) {
        for (int strip = name.labelCount() - zone.origin().labelCount() - 1; strip >= 0; strip--) {
            Name above = name.parent(strip);
            if (zone.rrset(above, Type.NS).isPresent()) {
                return Optional.of(above);
            }
        }
        return Optional.empty();
    }

    /**
     * Decision 11, "Who may ask": every name within a zone of {@code primaries} that {@code key} may
     * update ({@code NAME._update.ZONE}), and not delegated away from it.
     */
    public Optional<Refusal> notAllowed(KeyEntry key, Zones primaries) {
        for (Name id : identifiers()) {
            Optional<Zone> zone = primaries.find(id);
            if (zone.isEmpty()) {
                return Optional.of(new Refusal.OutsideZones(id));
            }
            if (!key.allows(Operation.UPDATE, zone.get().origin())) {
                return Optional.of(new Refusal.NotAllowed(key.name(), id, zone.get().origin()));
            }
            Optional<Name> cut = cut(zone.get(), id);
            if (cut.isPresent()) {
                return Optional.of(new Refusal.BelowDelegation(id, cut.get()));
            }
        }
        return Optional.empty();
    }
}
