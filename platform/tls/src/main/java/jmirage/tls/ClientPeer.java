package jmirage.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Vector;
import jmirage.core.Clock;
import jmirage.tls.x509.PeerName;
import jmirage.tls.x509.Purpose;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.ProtocolName;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/** Our policy as Bouncy Castle's {@code TlsClient}. */
final class ClientPeer extends DefaultTlsClient {

    private final TlsClientConfig config;
    private final BcTlsCrypto crypto;
    private final Clock clock;
    final PeerState state = new PeerState();
    /** Keying material to export in {@link #notifyHandshakeComplete}, the only time Bouncy Castle allows it. */
    java.util.Optional<TlsFlow.Exporter> exporter = java.util.Optional.empty();

    ClientPeer(TlsClientConfig config, BcTlsCrypto crypto, Clock clock) {
        super(crypto);
        this.config = config;
        this.crypto = crypto;
        this.clock = clock;
        config.serverName().ifPresent(n -> {
            if (n instanceof PeerName.Dns(String dns)) {
                state.serverName = dns;
            }
        });
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
        return true;
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
    protected Vector<ServerName> getSNIServerNames() {
        if (state.serverName == null) {
            return null;
        }
        Vector<ServerName> names = new Vector<>();
        names.add(new ServerName(NameType.host_name, state.serverName.getBytes(StandardCharsets.US_ASCII)));
        return names;
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
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                Policy.verifyPeer(state, serverCertificate.getCertificate(), config.trustAnchors(), clock.now(),
                        Purpose.SERVER_AUTH, config.serverName());
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                if (config.clientCredentials().isEmpty()) {
                    return null;
                }
                return Policy.signer(context, crypto, config.clientCredentials().get(),
                        request.getSupportedSignatureAlgorithms(), request.getCertificateRequestContext());
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        if (exporter.isPresent()) {
            state.exported = jmirage.core.Bytes.adopt(context.exportKeyingMaterial(exporter.get().label(), null, exporter.get().length()));
        }
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

    org.bouncycastle.tls.TlsClientContext context() {
        return context;
    }
}
