package jmirage.tls.x509;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * What a PKCS#10 request (RFC 2986) asks for, read by {@link X509#readCsr} once its self-signature
 * verified: the subject (and its common name, if any), the public key, and the DNS names and IP
 * addresses of its requested subjectAltName extension (RFC 2985 5.4.2), in the request's order.
 */
public record CsrContents(Csr csr, X500Name subject, Optional<String> commonName, SubjectPublicKeyInfo publicKey,
        List<String> dnsNames, List<InetAddress> ipAddresses) {
    public CsrContents {
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
    }
}
