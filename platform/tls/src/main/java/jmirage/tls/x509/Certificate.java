package jmirage.tls.x509;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import jmirage.core.Bytes;
import jmirage.core.Result;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;

/** An immutable, parsed X.509 certificate; equal when the DER encodings are equal. */
public final class Certificate {

    private final Bytes der;
    private final X509CertificateHolder holder;

    private Certificate(Bytes der, X509CertificateHolder holder) {
        this.der = der;
        this.holder = holder;
    }

    /** Parses one DER certificate; a malformed one (or a repeated extension) is an {@code Err}. */
    public static Result<Certificate, CertificateError> fromDer(Bytes der) {
        try {
            X509CertificateHolder holder = new X509CertificateHolder(der.toArray());
            return Result.ok(new Certificate(der, holder));
        } catch (IOException | RuntimeException e) {
            return Result.err(new CertificateError.Malformed(String.valueOf(e.getMessage())));
        }
    }

    static Certificate of(X509CertificateHolder holder) {
        try {
            return new Certificate(Bytes.adopt(holder.getEncoded()), holder);
        } catch (IOException e) {
            throw new IllegalStateException("re-encoding a certificate we hold", e);
        }
    }

    public Bytes der() {
        return der;
    }

    /** Bouncy Castle's view, for code in this module and tests. */
    public X509CertificateHolder holder() {
        return holder;
    }

    public String subject() {
        return holder.getSubject().toString();
    }

    public String issuer() {
        return holder.getIssuer().toString();
    }

    public BigInteger serial() {
        return holder.getSerialNumber();
    }

    public Instant notBefore() {
        return holder.getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return holder.getNotAfter().toInstant();
    }

    public SubjectPublicKeyInfo publicKeyInfo() {
        return holder.getSubjectPublicKeyInfo();
    }

    public Extension extension(org.bouncycastle.asn1.ASN1ObjectIdentifier oid) {
        return holder.getExtension(oid);
    }

    /** Subject and issuer are the same name (RFC 5280 6.1: self-issued; self-signed is a further matter). */
    boolean selfIssued() {
        return holder.getSubject().equals(holder.getIssuer());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Certificate that && der.equals(that.der);
    }

    @Override
    public int hashCode() {
        return der.hashCode();
    }

    @Override
    public String toString() {
        return "Certificate[" + subject() + " issued by " + issuer() + "]";
    }
}
