package jmirage.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Hashtable;
import java.util.Optional;
import java.util.Vector;
import jmirage.core.Clock;
import jmirage.tls.x509.Purpose;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.ProtocolName;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/** Our policy as Bouncy Castle's {@code TlsServer}: BC calls it during the handshake, on our loop. */
final class ServerPeer extends DefaultTlsServer {

    private final TlsServerConfig config;
    private final BcTlsCrypto crypto;
    private final Clock clock;
    final PeerState state = new PeerState();
    private Credentials credentials;

    ServerPeer(TlsServerConfig config, BcTlsCrypto crypto, Clock clock) {
        super(crypto);
        this.config = config;
        this.crypto = crypto;
        this.clock = clock;
        this.credentials = config.defaultCredentials();
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return Policy.VERSIONS;
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), Policy.SUITES);
    }

    @Override
    public boolean requiresExtendedMasterSecret() {
        return true;   // RFC 7627: TLS 1.2 without it is open to triple handshake attacks
    }

    @Override
    public int getRenegotiationPolicy() {
        return org.bouncycastle.tls.RenegotiationPolicy.DENY;
    }

    @Override
    public short getHeartbeatPolicy() {
        return Policy.HEARTBEAT_POLICY;
    }

    @Override
    public int getMaxCertificateChainLength() {
        return Policy.MAX_CHAIN_CERTIFICATES;
    }

    @Override
    public int getMaxHandshakeMessageSize() {
        return Policy.MAX_HANDSHAKE_MESSAGE;
    }

    @Override
    protected boolean allowEncryptThenMAC() {
        return false;   // AEAD only: no MAC-then-encrypt suites to fix
    }

    @Override
    public void processClientExtensions(@SuppressWarnings("rawtypes") Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        // RFC 6066 section 3: choose the certificate for the host name the client asks for.
        Vector<?> names = TlsExtensionsUtils.getServerNameExtensionClient(clientExtensions);
        if (names != null) {
            for (Object o : names) {
                ServerName name = (ServerName) o;
                if (name.getNameType() == NameType.host_name) {
                    state.serverName = new String(name.getNameData(), StandardCharsets.US_ASCII);
                    credentials = config.credentialsFor(state.serverName);
                    break;
                }
            }
        }
    }

    @Override
    protected boolean isSelectableCipherSuite(int cipherSuite, int availCurveBits, int availFiniteFieldBits,
            @SuppressWarnings("rawtypes") Vector sigAlgs) {
        return super.isSelectableCipherSuite(cipherSuite, availCurveBits, availFiniteFieldBits, sigAlgs)
                && Policy.suiteFitsKey(cipherSuite, credentials.key().type());
    }

    @Override
    protected Vector<ProtocolName> getProtocolNames() {
        if (config.alpn().isEmpty()) {
            return null;
        }
        Vector<ProtocolName> names = new Vector<>();
        config.alpn().forEach(p -> names.add(ProtocolName.asUtf8Encoding(p)));
        return names;
    }

    @Override
    public TlsCredentials getCredentials() throws IOException {
        return Policy.signer(context, crypto, credentials,
                context.getSecurityParametersHandshake().getClientSigAlgs(), null);
    }

    @Override
    public CertificateRequest getCertificateRequest() throws IOException {
        if (config.clientAuth() == ClientAuth.NONE) {
            return null;
        }
        Vector<?> schemes = TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
        if (TlsUtils.isTLSv13(context)) {
            return new CertificateRequest(TlsUtils.EMPTY_BYTES, schemes, null, null);
        }
        return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                schemes, null);
    }

    @Override
    public void notifyClientCertificate(org.bouncycastle.tls.Certificate clientCertificate) throws IOException {
        if (clientCertificate == null || clientCertificate.isEmpty()) {
            if (config.clientAuth() == ClientAuth.REQUIRED) {
                state.fail(new TlsFailure.PeerCertificateMissing());
                // RFC 8446 4.4.2.4: certificate_required; RFC 5246 7.4.6: handshake_failure.
                throw new TlsFatalAlert(TlsUtils.isTLSv13(context)
                        ? AlertDescription.certificate_required : AlertDescription.handshake_failure,
                        "client certificate required");
            }
            return;
        }
        Policy.verifyPeer(state, clientCertificate, config.clientTrustAnchors(), clock.now(),
                Purpose.CLIENT_AUTH, Optional.empty());
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        state.handshakeComplete = true;
    }

    @Override
    public void notifyAlertRaised(short alertLevel, short alertDescription, String message, Throwable cause) {
        state.alertRaised(alertLevel, alertDescription, message, cause);
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        state.alertReceived(alertLevel, alertDescription);
    }

    org.bouncycastle.tls.TlsServerContext context() {
        return context;
    }
}
