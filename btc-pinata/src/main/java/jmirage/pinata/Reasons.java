package jmirage.pinata;

import java.util.Locale;
import jmirage.core.net.FlowError;
import jmirage.tls.TlsFailure;
import jmirage.tls.x509.PathFailure;

/**
 * Short, stable keys for why an attempt failed, for the statistics (a key holds no space, so the
 * stored form stays one line per counter) and the log.
 */
final class Reasons {

    static final String CONNECT_BACK_FAILED = "connect-back-failed";
    /** 10001 from an address that is no single host (multicast, broadcast, reserved, spoofed loopback). */
    static final String CONNECT_BACK_REFUSED = "connect-back-refused";
    static final String OVERLOADED = "overloaded";
    static final String PEER_LIMIT = "too-many-from-peer";
    static final String UNVERIFIED = "peer-unverified";
    static final String SEND_FAILED = "send-failed";
    /**
     * Verified, and the secret sent, but to the pinata itself: the peer's certificate is one of the
     * pinata's own two leaves (someone bridged two of its ports). Nobody outside got anything.
     */
    static final String TO_ITSELF = "to-itself";

    private Reasons() {}

    static String of(TlsFailure failure) {
        return switch (failure) {
            case TlsFailure.Timeout t -> "handshake-timeout";
            case TlsFailure.TransportClosed c -> "closed-during-handshake";
            case TlsFailure.TransportFailed(FlowError e) -> "transport-error";
            case TlsFailure.PeerCertificateMissing m -> "no-certificate";
            case TlsFailure.PeerCertificateRejected(PathFailure why) -> "certificate-" + kebab(why.getClass().getSimpleName());
            case TlsFailure.AlertSent(int alert, String name, String detail) -> "sent-" + token(name);
            case TlsFailure.AlertReceived(int alert, String name) -> "received-" + token(name);
        };
    }

    /** {@code NoTrustedPath} to {@code no-trusted-path}. */
    static String kebab(String camel) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                b.append('-');
            }
            b.append(Character.toLowerCase(c));
        }
        return b.toString();
    }

    /** An alert name as a key: lower case, anything but letters, digits, '_' and '-' dropped. */
    static String token(String name) {
        String t = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
        return t.isEmpty() ? "unknown" : t;
    }
}
