package jmirage.tls;

import java.util.List;
import java.util.Optional;
import jmirage.tls.x509.Certificate;

/**
 * What a handshake negotiated.
 *
 * @param version "TLSv1.2" or "TLSv1.3"
 * @param cipherSuite the IANA name, e.g. TLS_AES_128_GCM_SHA256
 * @param alpn the application protocol both sides chose (RFC 7301), if any
 * @param serverName the SNI host name (what the client sent, on either side), if any
 * @param peerChain the peer's chain as verified by our path validator, leaf first and ending with
 *     the trust anchor; empty when the peer sent no certificate (a client, when not required)
 */
public record TlsSession(String version, String cipherSuite, Optional<String> alpn, Optional<String> serverName,
        List<Certificate> peerChain) {
    public TlsSession {
        peerChain = List.copyOf(peerChain);
    }
}
