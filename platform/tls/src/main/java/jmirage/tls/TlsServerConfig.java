package jmirage.tls;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import jmirage.tls.x509.Certificate;

/**
 * A TLS server's configuration, as data. Versions, suites and the rest of the policy are fixed
 * (TLS 1.2 and 1.3, AEAD suites with ECDHE, no renegotiation, no compression): see the README.
 *
 * @param defaultCredentials used when the client sends no SNI, or one not in {@code bySni}
 * @param bySni lower-case host name to the credentials to present for it (RFC 6066 section 3)
 * @param clientAuth whether to ask for a client certificate
 * @param clientTrustAnchors the anchors client certificates must chain to
 * @param alpn protocols we speak, in our order of preference (RFC 7301); empty: no ALPN
 * @param handshakeTimeout the handshake fails with {@link TlsFailure.Timeout} after this long
 */
public record TlsServerConfig(Credentials defaultCredentials, Map<String, Credentials> bySni,
        ClientAuth clientAuth, List<Certificate> clientTrustAnchors, List<String> alpn, Duration handshakeTimeout) {

    public TlsServerConfig {
        Objects.requireNonNull(defaultCredentials);
        Map<String, Credentials> lower = new HashMap<>();
        bySni.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), Objects.requireNonNull(v)));
        bySni = Map.copyOf(lower);
        Objects.requireNonNull(clientAuth);
        clientTrustAnchors = List.copyOf(clientTrustAnchors);
        alpn = List.copyOf(alpn);
        if (clientAuth != ClientAuth.NONE && clientTrustAnchors.isEmpty()) {
            throw new IllegalArgumentException("client authentication needs trust anchors");
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshake timeout must be positive");
        }
    }

    /** One certificate for every name, no client authentication, no ALPN, a 10-second handshake limit. */
    public static TlsServerConfig of(Credentials credentials) {
        return new TlsServerConfig(credentials, Map.of(), ClientAuth.NONE, List.of(), List.of(), Duration.ofSeconds(10));
    }

    public TlsServerConfig withClientAuth(ClientAuth auth, List<Certificate> anchors) {
        return new TlsServerConfig(defaultCredentials, bySni, auth, anchors, alpn, handshakeTimeout);
    }

    public TlsServerConfig withSni(String hostName, Credentials credentials) {
        Map<String, Credentials> more = new HashMap<>(bySni);
        more.put(hostName.toLowerCase(Locale.ROOT), credentials);
        return new TlsServerConfig(defaultCredentials, more, clientAuth, clientTrustAnchors, alpn, handshakeTimeout);
    }

    public TlsServerConfig withAlpn(List<String> protocols) {
        return new TlsServerConfig(defaultCredentials, bySni, clientAuth, clientTrustAnchors, protocols, handshakeTimeout);
    }

    public TlsServerConfig withHandshakeTimeout(Duration timeout) {
        return new TlsServerConfig(defaultCredentials, bySni, clientAuth, clientTrustAnchors, alpn, timeout);
    }

    /** The credentials for the SNI host name the client sent, if any. */
    public Credentials credentialsFor(String hostName) {
        return hostName == null ? defaultCredentials
                : bySni.getOrDefault(hostName.toLowerCase(Locale.ROOT), defaultCredentials);
    }
}
