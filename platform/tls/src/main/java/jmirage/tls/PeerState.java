package jmirage.tls;

import java.util.List;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.PathFailure;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;

/** What Bouncy Castle's callbacks tell the shell: handshake done, peer closed, why it failed. */
final class PeerState {
    /** What the client's exporter asked for, taken when the handshake completed (ClientPeer). */
    jmirage.core.Bytes exported;

    boolean handshakeComplete;
    boolean closeNotifyReceived;
    TlsFailure failure;
    List<Certificate> peerChain = List.of();
    String serverName;

    void fail(TlsFailure f) {
        if (failure == null) {
            failure = f;
        }
    }

    void alertRaised(short level, short description, String message, Throwable cause) {
        if (level != AlertLevel.fatal) {
            return;
        }
        // BC wraps the real reason ("Failed to read record" around "Certificate chain longer than
        // maximum (10)"): the detail names every level, so a log line says what happened.
        StringBuilder detail = new StringBuilder(message != null ? message : "");
        for (Throwable c = cause; c != null && c != c.getCause(); c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && !m.isEmpty() && detail.indexOf(m) < 0) {
                detail.append(detail.isEmpty() ? "" : ": ").append(m);
            }
            if (m != null && m.contains(Policy.CHAIN_TOO_LONG_MESSAGE)) {
                // the peer's chain, not our code: a certificate rejection like any other
                fail(new TlsFailure.PeerCertificateRejected(new PathFailure.TooManyIntermediates(Policy.MAX_CHAIN_CERTIFICATES - 2)));
            }
            if (m != null && m.contains(Policy.CERTIFICATE_MESSAGE_TOO_LARGE)) {
                fail(new TlsFailure.PeerCertificateRejected(new PathFailure.Malformed("(peer chain)",
                        "Certificate message larger than " + Policy.MAX_HANDSHAKE_MESSAGE + " bytes")));
            }
        }
        fail(new TlsFailure.AlertSent(description, AlertDescription.getName(description), detail.toString()));
    }

    void alertReceived(short level, short description) {
        if (description == AlertDescription.close_notify) {
            closeNotifyReceived = true;
            if (!handshakeComplete) {
                fail(new TlsFailure.AlertReceived(description, AlertDescription.getName(description)));
            }
        } else if (level == AlertLevel.fatal) {
            fail(new TlsFailure.AlertReceived(description, AlertDescription.getName(description)));
        }
    }
}
