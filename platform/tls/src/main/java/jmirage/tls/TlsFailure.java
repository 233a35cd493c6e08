package jmirage.tls;

import java.time.Duration;
import jmirage.core.net.FlowError;
import jmirage.tls.x509.PathFailure;

/** Why a TLS handshake failed: a value for the service's logs and statistics. */
public sealed interface TlsFailure {

    /** One line for an operator's log. */
    default String describe() {
        return switch (this) {
            case Timeout(Duration limit) -> "handshake timed out after " + limit.toMillis() + " ms";
            case TransportClosed() -> "peer closed the connection during the handshake";
            case TransportFailed(FlowError error) -> "transport failed during the handshake: " + error;
            case PeerCertificateMissing() -> "peer sent no certificate, and one is required";
            case PeerCertificateRejected(PathFailure reason) -> "peer certificate rejected: " + reason.describe();
            case AlertSent(int alert, String name, String detail) -> "we aborted with " + name + " (" + alert + "): " + detail;
            case AlertReceived(int alert, String name) -> "peer aborted with " + name + " (" + alert + ")";
        };
    }

    record Timeout(Duration limit) implements TlsFailure {}

    /** End of stream from the transport before the handshake completed. */
    record TransportClosed() implements TlsFailure {}

    record TransportFailed(FlowError error) implements TlsFailure {}

    /** Client authentication REQUIRED, and the client sent an empty Certificate message. */
    record PeerCertificateMissing() implements TlsFailure {}

    /** Our {@link jmirage.tls.x509.PathValidator} rejected the peer's chain. */
    record PeerCertificateRejected(PathFailure reason) implements TlsFailure {}

    /**
     * We aborted the handshake with a fatal alert (RFC 8446 6.2): protocol_version for an SSLv3 or
     * TLS 1.0 ClientHello, decode_error or unexpected_message for garbage, handshake_failure when
     * nothing in common...
     */
    record AlertSent(int alert, String name, String detail) implements TlsFailure {}

    /** The peer aborted the handshake with a fatal alert. */
    record AlertReceived(int alert, String name) implements TlsFailure {}
}
