package jmirage.pinata;

/**
 * The three ways to try for the secret, fixed by the rules (as mirleft/btc-pinata): each names the
 * TCP port it is reached on and which side of TLS the pinata plays there.
 */
public enum Role {
    /** Port 10000: the pinata is the TLS server and requires a client certificate from its CA. */
    SERVER(10000, "TLS server, requires a client certificate"),
    /** Port 10001: closes at once, connects back to the peer's port 40001 as a TLS client. */
    CONNECT_BACK(10001, "connects back to your port 40001 as a TLS client"),
    /** Port 10002: keeps the connection and plays TLS client over it. */
    CLIENT(10002, "TLS client over your connection");

    /** Where {@link #CONNECT_BACK} connects to, on the peer's address. */
    public static final int CONNECT_BACK_PORT = 40001;

    private final int port;
    private final String description;

    Role(int port, String description) {
        this.port = port;
        this.description = description;
    }

    public int port() {
        return port;
    }

    public String description() {
        return description;
    }

    /** Whether the pinata plays the TLS server here (and so checks a client certificate). */
    public boolean pinataIsServer() {
        return this == SERVER;
    }
}
