package jmirage.openvpn.keys;

import java.nio.charset.StandardCharsets;
import jmirage.core.Bytes;
import jmirage.openvpn.wire.SessionId;
import jmirage.openvpn.wire.StaticKey;

/**
 * The data channel's 256 bytes of key material (two keys of a 64-byte cipher part and a 64-byte
 * HMAC part, the {@link StaticKey} layout), by one of the two ways OpenVPN 2.6 knows:
 *
 * <ul>
 *   <li>the OpenVPN PRF (ssl.c generate_key_expansion_openvpn_prf): master = PRF(pre-master,
 *       "OpenVPN master secret" + client random1 + server random1), 48 bytes; then PRF(master,
 *       "OpenVPN key expansion" + client random2 + server random2 + client session id + server
 *       session id), 256 bytes, with the TLS 1.0 PRF ({@link Prf});</li>
 *   <li>TLS keying material export (RFC 5705; ssl.c generate_key_expansion_tls_export) with label
 *       {@link #EKM_LABEL} and no context, when the server pushes {@code key-derivation tls-ekm}.
 *       The TLS library computes it; its {@link #SIZE} bytes are the {@link StaticKey} as they are.</li>
 * </ul>
 */
public final class KeyExpansion {

    public static final String EKM_LABEL = "EXPORTER-OpenVPN-datakeys";
    public static final int SIZE = StaticKey.SIZE;
    static final int MASTER = 48;

    private KeyExpansion() {}

    public static StaticKey openvpnPrf(KeySource client, KeySource server, SessionId clientSession, SessionId serverSession) {
        Bytes preMaster = client.preMaster().orElseThrow(() -> new IllegalArgumentException("the client's key source has the pre-master secret"));
        Bytes master = Prf.tls10(preMaster, ascii("OpenVPN master secret").concat(client.random1()).concat(server.random1()), MASTER);
        byte[] sids = new byte[2 * SessionId.SIZE];
        clientSession.write(sids, 0);
        serverSession.write(sids, SessionId.SIZE);
        Bytes seed = ascii("OpenVPN key expansion").concat(client.random2()).concat(server.random2()).concat(Bytes.adopt(sids));
        return new StaticKey(Prf.tls10(master, seed, SIZE));
    }

    private static Bytes ascii(String label) {
        return Bytes.adopt(label.getBytes(StandardCharsets.US_ASCII));
    }
}
