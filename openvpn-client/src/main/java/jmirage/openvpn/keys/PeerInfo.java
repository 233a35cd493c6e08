package jmirage.openvpn.keys;

import java.util.List;
import java.util.stream.Collectors;
import jmirage.openvpn.data.AeadCipher;

/**
 * The peer info a client sends in key method 2 (ssl.c push_peer_info): {@code NAME=value} lines
 * that tell the server what the client can do. The server picks the data cipher from IV_CIPHERS,
 * uses P_DATA_V2 with a peer id when IV_PROTO has bit 1, pushes without being asked when bit 2,
 * and derives the data keys with TLS-EKM (and pushes {@code key-derivation tls-ekm}) when bit 3.
 */
public final class PeerInfo {

    /** ssl.h IV_PROTO_DATA_V2. */
    public static final int PROTO_DATA_V2 = 1 << 1;
    /** ssl.h IV_PROTO_REQUEST_PUSH: the server pushes right after key exchange. */
    public static final int PROTO_REQUEST_PUSH = 1 << 2;
    /** ssl.h IV_PROTO_TLS_KEY_EXPORT: the data keys may come from RFC 5705 keying material export. */
    public static final int PROTO_TLS_KEY_EXPORT = 1 << 3;

    /**
     * The version this client claims: servers compare IV_VER when a feature has no IV_PROTO bit,
     * and this client implements the 2.6 protocol.
     */
    static final String VERSION = "2.6.14";

    private PeerInfo() {}

    public static String client(List<AeadCipher> ciphers) {
        int proto = PROTO_DATA_V2 | PROTO_REQUEST_PUSH | PROTO_TLS_KEY_EXPORT;
        return "IV_VER=" + VERSION + "\n"
                + "IV_PLAT=jmirage\n"
                + "IV_NCP=2\n"
                + "IV_CIPHERS=" + ciphers.stream().map(AeadCipher::openvpnName).collect(Collectors.joining(":")) + "\n"
                + "IV_PROTO=" + proto + "\n";
    }
}
