package jmirage.openvpn.wire;

/**
 * Which half of a two-key block each direction uses (crypto.c key_direction_state_init): a static
 * key file and the data channel's key material hold two keys, each a 64-byte cipher part and a
 * 64-byte HMAC part.
 */
public enum KeyDirection {
    /** No direction given: both directions use key 0. */
    BIDIRECTIONAL(0, 0),
    /** Direction 0 (a tls-auth server, a tls-crypt server, a data-channel client): send with key 0, receive with key 1. */
    NORMAL(0, 1),
    /** Direction 1 (a tls-auth client, a tls-crypt client): send with key 1, receive with key 0. */
    INVERSE(1, 0);

    private final int outgoing;
    private final int incoming;

    KeyDirection(int outgoing, int incoming) {
        this.outgoing = outgoing;
        this.incoming = incoming;
    }

    public int outgoing() {
        return outgoing;
    }

    public int incoming() {
        return incoming;
    }
}
