package jmirage.tls;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.PeerName;

/**
 * A TLS client's configuration, as data.
 *
 * @param trustAnchors the anchors the server's chain must reach
 * @param serverName sent as SNI when a DNS name, and checked against the server's certificate
 *     (RFC 6125); empty means no name check (only for tests and pinned anchors)
 * @param clientCredentials presented when the server asks for a certificate
 * @param alpn protocols to offer, in order (RFC 7301)
 * @param handshakeTimeout the handshake fails with {@link TlsFailure.Timeout} after this long
 */
public record TlsClientConfig(List<Certificate> trustAnchors, Optional<PeerName> serverName,
        Optional<Credentials> clientCredentials, List<String> alpn, Duration handshakeTimeout) {

    public TlsClientConfig {
        trustAnchors = List.copyOf(trustAnchors);
        Objects.requireNonNull(serverName);
        Objects.requireNonNull(clientCredentials);
        alpn = List.copyOf(alpn);
        if (trustAnchors.isEmpty()) {
            throw new IllegalArgumentException("a client needs trust anchors");
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshake timeout must be positive");
        }
    }

    public static TlsClientConfig of(List<Certificate> anchors, PeerName serverName) {
        return new TlsClientConfig(anchors, Optional.of(serverName), Optional.empty(), List.of(), Duration.ofSeconds(10));
    }

    public TlsClientConfig withClientCredentials(Credentials credentials) {
        return new TlsClientConfig(trustAnchors, serverName, Optional.of(credentials), alpn, handshakeTimeout);
    }

    public TlsClientConfig withAlpn(List<String> protocols) {
        return new TlsClientConfig(trustAnchors, serverName, clientCredentials, protocols, handshakeTimeout);
    }

    public TlsClientConfig withHandshakeTimeout(Duration timeout) {
        return new TlsClientConfig(trustAnchors, serverName, clientCredentials, alpn, timeout);
    }
}
