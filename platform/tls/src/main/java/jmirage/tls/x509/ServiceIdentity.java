package jmirage.tls.x509;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * Whether the leaf names the peer we meant to reach (RFC 6125 section 6): a dNSName or iPAddress
 * subjectAltName entry, never the subject's CN.
 */
final class ServiceIdentity {

    private ServiceIdentity() {}

    /** {@link PathFailure.NameMismatch} unless a subjectAltName entry of {@code leaf} matches {@code expected}. */
    static Optional<PathFailure> check(Certificate leaf, PeerName expected) {
        GeneralNames san = GeneralNames.fromExtensions(leaf.holder().getExtensions(), Extension.subjectAlternativeName);
        if (san != null) {
            for (GeneralName n : san.getNames()) {
                if (matches(n, expected)) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new PathFailure.NameMismatch(leaf.subject(), expected));
    }

    private static boolean matches(GeneralName n, PeerName expected) {
        return switch (expected) {
            case PeerName.Dns(String name) -> n.getTagNo() == GeneralName.dNSName
                    && dnsMatches(((ASN1String) n.getName()).getString().toLowerCase(Locale.ROOT), name);
            case PeerName.Ip(InetAddress address) -> n.getTagNo() == GeneralName.iPAddress
                    && Arrays.equals(ASN1OctetString.getInstance(n.getName()).getOctets(), address.getAddress());
        };
    }

    /**
     * RFC 6125 6.4.3: a wildcard is the whole leftmost label, matches exactly one label, and never
     * covers a bare public suffix: at least two labels must follow it.
     */
    static boolean dnsMatches(String pattern, String name) {
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (!CertificateProfile.validDnsName(name, false)) {
            return false;
        }
        if (pattern.startsWith("*.")) {
            String base = pattern.substring(2);
            if (base.split("\\.").length < 2) {
                return false;
            }
            int dot = name.indexOf('.');
            return dot > 0 && name.substring(dot + 1).equals(base);
        }
        return pattern.equals(name);
    }
}
