package jmirage.certify;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import jmirage.tls.Credentials;
import jmirage.tls.TlsServerConfig;

/**
 * The certificate a TLS server presents now, swapped when a renewed one arrives. A server reads it
 * for each new connection ({@link #serverConfig}, handed to {@code HttpServer.listenTls}); a
 * connection keeps the certificate of its own handshake, so a swap drops none. Use it on the loop.
 */
public final class CertificateSlot {

    private Credentials current;
    private long swaps;

    /** A slot presenting {@code initial} until the first swap (a stored or a fallback certificate). */
    public CertificateSlot(Credentials initial) {
        this.current = Objects.requireNonNull(initial);
    }

    public Credentials current() {
        return current;
    }

    /** Presents {@code next} to connections accepted from now on. */
    public void swap(Credentials next) {
        current = Objects.requireNonNull(next);
        swaps++;
    }

    /** How many times the certificate was swapped since the slot was made. */
    public long swaps() {
        return swaps;
    }

    /**
     * The server configuration for each new connection: {@code make} applied to the current
     * credentials (e.g. {@code c -> TlsServerConfig.of(c).withHandshakeTimeout(...)}), made again only
     * after a swap.
     */
    public Supplier<TlsServerConfig> serverConfig(Function<Credentials, TlsServerConfig> make) {
        return new Supplier<>() {
            private Credentials madeFor;
            private TlsServerConfig made;

            @Override
            public TlsServerConfig get() {
                if (madeFor != current) {
                    made = make.apply(current);
                    madeFor = current;
                }
                return made;
            }
        };
    }
}
