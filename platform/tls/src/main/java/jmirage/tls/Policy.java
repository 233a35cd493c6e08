package jmirage.tls;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Vector;
import jmirage.core.Result;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.CertificateError;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.PathFailure;
import jmirage.tls.x509.PathValidator;
import jmirage.tls.x509.PeerName;
import jmirage.tls.x509.Purpose;
import jmirage.tls.x509.ValidPath;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.KeyExchangeAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/** The fixed TLS policy, and the glue between our certificates and Bouncy Castle's. */
final class Policy {

    private Policy() {}

    /**
     * The most certificates a peer may send (leaf included); Bouncy Castle stops parsing beyond, and
     * {@link PeerState} reports it as {@code PathFailure.TooManyIntermediates}. Paths are further
     * bounded by {@link PathValidator} (at most 8 intermediates).
     */
    static final int MAX_CHAIN_CERTIFICATES = 10;

    /** The message Bouncy Castle's {@code Certificate.parse} gives when the chain exceeds the above. */
    static final String CHAIN_TOO_LONG_MESSAGE = "Certificate chain longer than maximum";

    /** Bouncy Castle's bound on one handshake message (its default, kept): a larger Certificate message is refused. */
    static final int MAX_HANDSHAKE_MESSAGE = 32768;

    /** The message Bouncy Castle gives when a Certificate message (type 11) exceeds that bound. */
    static final String CERTIFICATE_MESSAGE_TOO_LARGE = "Handshake message length exceeds the maximum: certificate(11)";

    /**
     * RFC 6520 heartbeats: never negotiated, and the peer may not send any (a heartbeat record is
     * an unexpected_message), so there is no Heartbleed-shaped surface at all.
     */
    static final short HEARTBEAT_POLICY = org.bouncycastle.tls.HeartbeatMode.peer_not_allowed_to_send;

    /** TLS 1.3 and 1.2 only (RFC 8996 deprecates 1.0 and 1.1). */
    static final ProtocolVersion[] VERSIONS = ProtocolVersion.TLSv13.downTo(ProtocolVersion.TLSv12);

    /** AEAD suites only; TLS 1.2 with ECDHE (forward secrecy), no RSA key transport, no CBC. */
    static final int[] SUITES = {
        CipherSuite.TLS_AES_128_GCM_SHA256,
        CipherSuite.TLS_AES_256_GCM_SHA384,
        CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    };

    static String suiteName(int suite) {
        return switch (suite) {
            case CipherSuite.TLS_AES_128_GCM_SHA256 -> "TLS_AES_128_GCM_SHA256";
            case CipherSuite.TLS_AES_256_GCM_SHA384 -> "TLS_AES_256_GCM_SHA384";
            case CipherSuite.TLS_CHACHA20_POLY1305_SHA256 -> "TLS_CHACHA20_POLY1305_SHA256";
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 -> "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 -> "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 -> "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256";
            case CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 -> "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
            case CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 -> "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384";
            case CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 -> "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256";
            default -> String.format("0x%04x", suite);
        };
    }

    static final SignatureAndHashAlgorithm ECDSA_P256_SHA256 =
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);
    static final SignatureAndHashAlgorithm RSA_PKCS1_SHA256 =
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.rsa);

    /** Whether a TLS 1.2 suite's key exchange can be signed with this key (1.3 suites: any key). */
    static boolean suiteFitsKey(int suite, KeyType key) {
        int kx = TlsUtils.getKeyExchangeAlgorithm(suite);
        return switch (kx) {
            case KeyExchangeAlgorithm.ECDHE_ECDSA -> key == KeyType.EC_P256 || key == KeyType.ED25519;
            case KeyExchangeAlgorithm.ECDHE_RSA -> key == KeyType.RSA_2048;
            default -> true;
        };
    }

    /** Our preferred signature schemes for a key, best first. */
    private static List<SignatureAndHashAlgorithm> schemesFor(KeyType key, boolean tls13) {
        return switch (key) {
            case RSA_2048 -> tls13
                    ? List.of(SignatureAndHashAlgorithm.rsa_pss_rsae_sha256, SignatureAndHashAlgorithm.rsa_pss_rsae_sha384)
                    : List.of(SignatureAndHashAlgorithm.rsa_pss_rsae_sha256, SignatureAndHashAlgorithm.rsa_pss_rsae_sha384,
                            RSA_PKCS1_SHA256);
            case EC_P256 -> List.of(ECDSA_P256_SHA256);
            case ED25519 -> List.of(SignatureAndHashAlgorithm.ed25519);
        };
    }

    /** A BC signer for {@code credentials}, with a scheme the peer offered ({@code peerSchemes}). */
    @SuppressWarnings("rawtypes")
    static TlsCredentialedSigner signer(TlsContext context, BcTlsCrypto crypto, Credentials credentials,
            Vector peerSchemes, byte[] requestContext) throws IOException {
        boolean tls13 = TlsUtils.isTLSv13(context);
        SignatureAndHashAlgorithm chosen = null;
        for (SignatureAndHashAlgorithm s : schemesFor(credentials.key().type(), tls13)) {
            if (peerSchemes == null ? !tls13 && s.equals(RSA_PKCS1_SHA256) || s.equals(ECDSA_P256_SHA256)
                    : peerSchemes.contains(s)) {
                chosen = s;
                break;
            }
        }
        if (chosen == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "no signature scheme in common for our key");
        }
        TlsCertificate[] certs = new TlsCertificate[credentials.chain().size()];
        for (int i = 0; i < certs.length; i++) {
            certs[i] = crypto.createCertificate(credentials.chain().get(i).der().toArray());
        }
        org.bouncycastle.tls.Certificate chain;
        if (tls13) {
            CertificateEntry[] entries = new CertificateEntry[certs.length];
            for (int i = 0; i < certs.length; i++) {
                entries[i] = new CertificateEntry(certs[i], null);
            }
            chain = new org.bouncycastle.tls.Certificate(requestContext == null ? TlsUtils.EMPTY_BYTES : requestContext, entries);
        } else {
            chain = new org.bouncycastle.tls.Certificate(certs);
        }
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                credentials.key().privateKey(), chain, chosen);
    }

    /** Our certificates from BC's, leaf first; a malformed one is a decode error. */
    static Result<List<Certificate>, CertificateError> chainOf(org.bouncycastle.tls.Certificate peer) throws IOException {
        List<Certificate> chain = new ArrayList<>();
        for (TlsCertificate c : peer.getCertificateList()) {
            switch (Certificate.fromDer(jmirage.core.Bytes.adopt(c.getEncoded()))) {
                case Result.Ok<Certificate, CertificateError>(Certificate parsed) -> chain.add(parsed);
                case Result.Err<Certificate, CertificateError>(CertificateError e) -> {
                    return Result.err(e);
                }
            }
        }
        return Result.ok(chain);
    }

    /**
     * Validates the peer's chain with our {@link PathValidator}; on failure records why in
     * {@code state} and throws the fatal alert that tells the peer (RFC 8446 6.2).
     */
    static void verifyPeer(PeerState state, org.bouncycastle.tls.Certificate peer, List<Certificate> anchors,
            Instant now, Purpose purpose, Optional<PeerName> name) throws IOException {
        Result<List<Certificate>, CertificateError> chain = chainOf(peer);
        if (chain instanceof Result.Err<List<Certificate>, CertificateError>(CertificateError error)) {
            PathFailure f = new PathFailure.Malformed("?", error.describe());
            state.fail(new TlsFailure.PeerCertificateRejected(f));
            throw new TlsFatalAlert(AlertDescription.bad_certificate, error.describe());
        }
        List<Certificate> certs = chain.orElseThrow();
        Result<ValidPath, PathFailure> result = PathValidator.validate(certs.get(0), certs.subList(1, certs.size()),
                anchors, now, purpose, name);
        switch (result) {
            case Result.Ok<ValidPath, PathFailure>(ValidPath path) -> state.peerChain = path.chain();
            case Result.Err<ValidPath, PathFailure>(PathFailure reason) -> {
                state.fail(new TlsFailure.PeerCertificateRejected(reason));
                short alert = switch (reason) {
                    case PathFailure.NoTrustedPath n -> AlertDescription.unknown_ca;
                    case PathFailure.Expired e -> AlertDescription.certificate_expired;
                    case PathFailure.NotYetValid e -> AlertDescription.certificate_expired;
                    case PathFailure.ExtendedKeyUsageForbids e -> AlertDescription.unsupported_certificate;
                    default -> AlertDescription.bad_certificate;
                };
                throw new TlsFatalAlert(alert, reason.describe());
            }
        }
    }
}
