package jmirage.openvpn.data;

import jmirage.core.Bytes;

/**
 * OpenVPN's keepalive (ping.c ping_string): a data-channel packet whose plaintext is these 16
 * bytes. The receiver recognises it, counts it as life, and does not hand it to the tunnel.
 */
public final class Ping {

    public static final Bytes MAGIC = Bytes.fromHex("2a187bf3641eb4cb07ed2d0a981fc748");

    private Ping() {}

    public static boolean isPing(Bytes plaintext) {
        return plaintext.equals(MAGIC);
    }
}
