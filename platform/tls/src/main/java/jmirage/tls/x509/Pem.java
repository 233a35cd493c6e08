package jmirage.tls.x509;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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
import org.bouncycastle.util.encoders.DecoderException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM (RFC 7468) and DER for certificates, PKCS#8 private keys and PKCS#10 requests, through
 * Bouncy Castle's {@link PemReader} and {@link PemWriter}. Reading is strict where RFC 7468 is:
 * padded base64, no headers (so no encrypted PEM), an END line for every BEGIN line.
 */
public final class Pem {

    private Pem() {}

    /** One block: BEGIN line, base64 in lines of 64 characters, END line, each ending in a newline. */
    public static String encode(String label, Bytes der) {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(new PemObject(label, der.toArray()));
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return text.toString();
    }

    /**
     * Every block labelled {@code label}, decoded; text outside blocks, and blocks with other labels,
     * are ignored (RFC 7468 section 2). Lines may be indented.
     */
    public static Result<List<Bytes>, PemError> decode(String label, String text) {
        List<Bytes> blocks = new ArrayList<>();
        try (BlockReader reader = new BlockReader(text)) {
            while (true) {
                PemObject block;
                try {
                    block = reader.readPemObject();
                } catch (DecoderException badBase64) {
                    if (reader.label.equals(label)) {
                        return Result.err(new PemError.BadBase64(label));
                    }
                    continue;   // another label's block, ignored as its good blocks are
                } catch (IOException noEnd) {
                    // PemReader's one complaint: a BEGIN line whose END line never came
                    return Result.err(new PemError.MissingEnd(reader.label));
                }
                if (block == null) {
                    return Result.ok(List.copyOf(blocks));
                }
                if (!block.getType().equals(label)) {
                    continue;
                }
                if (!block.getHeaders().isEmpty()) {
                    return Result.err(new PemError.HeadersNotAllowed(label));
                }
                blocks.add(Bytes.adopt(block.getContent()));
            }
        } catch (IOException closing) {
            throw new UncheckedIOException("a StringReader does not fail", closing);
        }
    }

    /**
     * Bouncy Castle's reader, remembering the label of the last BEGIN line it saw (its errors do not
     * say which block failed), and reading indented lines as if they were not.
     */
    private static final class BlockReader extends PemReader {
        private static final String BEGIN = "-----BEGIN ";
        String label = "";

        BlockReader(String text) {
            super(new StringReader(text));
        }

        @Override
        public String readLine() throws IOException {
            String line = super.readLine();
            if (line == null) {
                return null;
            }
            line = line.stripLeading();
            if (line.startsWith(BEGIN)) {
                String rest = line.substring(BEGIN.length()).strip();
                label = rest.endsWith("-----") ? rest.substring(0, rest.length() - 5) : rest;
            }
            return line;
        }
    }

    public static String certificates(List<Certificate> chain) {
        StringBuilder out = new StringBuilder();
        for (Certificate c : chain) {
            out.append(encode("CERTIFICATE", c.der()));
        }
        return out.toString();
    }

    public static Result<List<Certificate>, PemError> readCertificates(String text) {
        return decode("CERTIFICATE", text).flatMap(blocks -> {
            List<Certificate> certs = new ArrayList<>();
            for (Bytes der : blocks) {
                switch (Certificate.fromDer(der)) {
                    case Result.Ok<Certificate, CertificateError>(Certificate c) -> certs.add(c);
                    case Result.Err<Certificate, CertificateError>(CertificateError e) -> {
                        return Result.err(new PemError.BadCertificate(e));
                    }
                }
            }
            return certs.isEmpty() ? Result.err(new PemError.NoBlock("CERTIFICATE")) : Result.ok(List.copyOf(certs));
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

    public static Result<KeyPair, PemError> privateKeyFromDer(Bytes der) {
        AsymmetricKeyParameter key;
        try {
            key = PrivateKeyFactory.createKey(der.toArray());
        } catch (IOException | RuntimeException e) {
            return Result.err(new PemError.MalformedPrivateKey(String.valueOf(e.getMessage())));
        }
        return KeyPair.fromPrivate(key).<Result<KeyPair, PemError>>map(Result::ok)
                .orElseGet(() -> Result.err(new PemError.UnsupportedPrivateKey()));
    }

    public static String privateKey(KeyPair key) {
        return encode("PRIVATE KEY", privateKeyDer(key));
    }

    public static Result<KeyPair, PemError> readPrivateKey(String text) {
        return decode("PRIVATE KEY", text).flatMap(blocks -> blocks.size() != 1
                ? Result.err(new PemError.NotOneBlock("PRIVATE KEY", blocks.size()))
                : privateKeyFromDer(blocks.get(0)));
    }

    public static String csr(Csr csr) {
        return encode("CERTIFICATE REQUEST", csr.der());
    }

    public static Result<Csr, PemError> readCsr(String text) {
        return decode("CERTIFICATE REQUEST", text).flatMap(blocks -> blocks.size() != 1
                ? Result.err(new PemError.NotOneBlock("CERTIFICATE REQUEST", blocks.size()))
                : Result.ok(new Csr(blocks.get(0))));
    }
}
