package jmirage.tls;

import java.util.List;
import jmirage.tls.x509.Certificate;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;

/** What Bouncy Castle's callbacks tell the shell: handshake done, peer closed, why it failed. */
final class PeerState {
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
        if (level == AlertLevel.fatal) {
            String detail = message != null ? message : cause != null ? String.valueOf(cause.getMessage()) : "";
            fail(new TlsFailure.AlertSent(description, AlertDescription.getName(description), detail));
        }
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
