package jmirage.tls.x509;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Result;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;

/** PEM (RFC 7468) and DER for certificates, PKCS#8 private keys and PKCS#10 requests. */
public final class Pem {

    private Pem() {}

    public static String encode(String label, Bytes der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .encodeToString(der.toArray());
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    /** Every block labelled {@code label}, decoded; text outside blocks is ignored (RFC 7468 section 2). */
    public static Result<List<Bytes>, String> decode(String label, String text) {
        List<Bytes> blocks = new ArrayList<>();
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = 0;
        while (true) {
            int b = text.indexOf(begin, from);
            if (b < 0) {
                break;
            }
            int e = text.indexOf(end, b);
            if (e < 0) {
                return Result.err("PEM block " + label + " without END line");
            }
            String body = text.substring(b + begin.length(), e).replaceAll("\\s", "");
            try {
                blocks.add(Bytes.adopt(Base64.getDecoder().decode(body)));
            } catch (IllegalArgumentException bad) {
                return Result.err("bad base64 in PEM block " + label);
            }
            from = e + end.length();
        }
        return Result.ok(List.copyOf(blocks));
    }

    public static String certificates(List<Certificate> chain) {
        StringBuilder out = new StringBuilder();
        for (Certificate c : chain) {
            out.append(encode("CERTIFICATE", c.der()));
        }
        return out.toString();
    }

    public static Result<List<Certificate>, String> readCertificates(String text) {
        return decode("CERTIFICATE", text).flatMap(blocks -> {
            List<Certificate> certs = new ArrayList<>();
            for (Bytes der : blocks) {
                Result<Certificate, String> c = Certificate.fromDer(der);
                if (c instanceof Result.Err<Certificate, String>(String error)) {
                    return Result.err(error);
                }
                certs.add(c.orElseThrow());
            }
            return certs.isEmpty() ? Result.err("no CERTIFICATE block") : Result.ok(List.copyOf(certs));
        });
    }

    /** PKCS#8 PrivateKeyInfo, DER. */
    public static Bytes privateKeyDer(KeyPair key) {
        try {
            if (key.privateKey() instanceof Ed25519PrivateKeyParameters ed) {
                // RFC 8410 section 7, version 0 without the public key: the form OpenSSL 3.0 reads.
                return Bytes.adopt(new PrivateKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519),
                        new DEROctetString(ed.getEncoded())).getEncoded());
            }
            return Bytes.adopt(PrivateKeyInfoFactory.createPrivateKeyInfo(key.privateKey()).getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException("encoding a key we generated", e);
        }
    }

    public static Result<KeyPair, String> privateKeyFromDer(Bytes der) {
        AsymmetricKeyParameter key;
        try {
            key = PrivateKeyFactory.createKey(der.toArray());
        } catch (IOException | RuntimeException e) {
            return Result.err("malformed PKCS#8 private key: " + e.getMessage());
        }
        return KeyPair.fromPrivate(key).<Result<KeyPair, String>>map(Result::ok)
                .orElseGet(() -> Result.err("unsupported private key (RSA >= 2048, EC P-256 or Ed25519)"));
    }

    public static String privateKey(KeyPair key) {
        return encode("PRIVATE KEY", privateKeyDer(key));
    }

    public static Result<KeyPair, String> readPrivateKey(String text) {
        return decode("PRIVATE KEY", text).flatMap(blocks -> blocks.size() != 1
                ? Result.err("expected one PRIVATE KEY block, found " + blocks.size())
                : privateKeyFromDer(blocks.get(0)));
    }

    public static String csr(Csr csr) {
        return encode("CERTIFICATE REQUEST", csr.der());
    }

    public static Result<Csr, String> readCsr(String text) {
        return decode("CERTIFICATE REQUEST", text).flatMap(blocks -> blocks.size() != 1
                ? Result.err("expected one CERTIFICATE REQUEST block, found " + blocks.size())
                : Result.ok(new Csr(blocks.get(0))));
    }
}
