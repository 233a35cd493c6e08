package jmirage.tls.x509;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;

/**
 * RFC 5280 4.2.1.10 name constraints as a pure function: whether names lie within a CA's permitted
 * subtrees and outside its excluded ones, for dNSName, iPAddress and directoryName. A name of a type
 * no permitted subtree mentions is not constrained by them; bases of other types never match.
 */
final class NameConstraintCheck {

    private NameConstraintCheck() {}

    /** Why {@code c} breaks {@code nc}, if it does: its subject and its subjectAltName entries are checked. */
    static Optional<String> violation(NameConstraints nc, Certificate c) {
        return violation(nc, namesOf(c));
    }

    /** The names of {@code c} that constraints apply to: its subject (if not empty) as a directoryName, and its SAN entries. */
    static List<GeneralName> namesOf(Certificate c) {
        List<GeneralName> names = new ArrayList<>();
        X500Name subject = c.holder().getSubject();
        if (subject.getRDNs().length > 0) {
            names.add(new GeneralName(subject));
        }
        GeneralNames san = GeneralNames.fromExtensions(c.holder().getExtensions(), Extension.subjectAlternativeName);
        if (san != null) {
            names.addAll(List.of(san.getNames()));
        }
        return List.copyOf(names);
    }

    /** The first of {@code names} that {@code nc} excludes or does not permit, as "NAME is excluded" / "NAME is not permitted". */
    static Optional<String> violation(NameConstraints nc, List<GeneralName> names) {
        for (GeneralName name : names) {
            GeneralSubtree[] excluded = nc.getExcludedSubtrees();
            if (excluded != null) {
                for (GeneralSubtree t : excluded) {
                    if (t.getBase().getTagNo() == name.getTagNo() && within(name, t.getBase())) {
                        return Optional.of(describe(name) + " is excluded");
                    }
                }
            }
            GeneralSubtree[] permitted = nc.getPermittedSubtrees();
            if (permitted != null) {
                boolean constrained = false;
                boolean ok = false;
                for (GeneralSubtree t : permitted) {
                    if (t.getBase().getTagNo() == name.getTagNo()) {
                        constrained = true;
                        ok |= within(name, t.getBase());
                    }
                }
                if (constrained && !ok) {
                    return Optional.of(describe(name) + " is not permitted");
                }
            }
        }
        return Optional.empty();
    }

    private static String describe(GeneralName n) {
        return switch (n.getTagNo()) {
            case GeneralName.iPAddress -> {
                try {
                    yield InetAddress.getByAddress(ASN1OctetString.getInstance(n.getName()).getOctets()).getHostAddress();
                } catch (UnknownHostException e) {
                    yield "invalid IP";
                }
            }
            default -> n.getName().toString();
        };
    }

    /** Whether {@code name} lies in the subtree {@code base} of the same type. */
    static boolean within(GeneralName name, GeneralName base) {
        switch (name.getTagNo()) {
            case GeneralName.dNSName -> {
                String n = ((ASN1String) name.getName()).getString().toLowerCase(Locale.ROOT);
                String b = ((ASN1String) base.getName()).getString().toLowerCase(Locale.ROOT);
                if (n.startsWith("*.")) {
                    n = n.substring(2);   // a wildcard is within a subtree when its base is
                }
                if (b.isEmpty()) {
                    return true;
                }
                if (b.startsWith(".")) {
                    return n.endsWith(b);
                }
                return n.equals(b) || n.endsWith("." + b);
            }
            case GeneralName.iPAddress -> {
                byte[] ip = ASN1OctetString.getInstance(name.getName()).getOctets();
                byte[] net = ASN1OctetString.getInstance(base.getName()).getOctets();
                if (net.length != ip.length * 2) {
                    return false;
                }
                for (int i = 0; i < ip.length; i++) {
                    byte mask = net[ip.length + i];
                    if ((ip[i] & mask) != (net[i] & mask)) {
                        return false;
                    }
                }
                return true;
            }
            case GeneralName.directoryName -> {
                RDN[] n = X500Name.getInstance(name.getName()).getRDNs();
                RDN[] b = X500Name.getInstance(base.getName()).getRDNs();
                if (b.length > n.length) {
                    return false;
                }
                for (int i = 0; i < b.length; i++) {
                    if (!n[i].equals(b[i])) {
                        return false;
                    }
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }
}
