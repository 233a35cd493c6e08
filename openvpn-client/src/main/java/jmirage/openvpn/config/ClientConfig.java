package jmirage.openvpn.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import jmirage.openvpn.data.AeadCipher;
import jmirage.openvpn.data.CompressionFraming;
import jmirage.openvpn.wire.Digest;
import jmirage.openvpn.wire.KeyDirection;

/**
 * A client configuration as {@link ConfigParser} reads it from an OpenVPN configuration file: only
 * what this client acts on, typed. Key and certificate material is either inline text or the name
 * of a file the shell reads from the Kv.
 */
public record ClientConfig(
        List<Remote> remotes,
        boolean remoteRandom,
        List<AeadCipher> dataCiphers,
        Digest auth,
        Material ca,
        Optional<Material> cert,
        Optional<Material> key,
        ControlWrapping wrapping,
        Optional<Credentials> credentials,
        boolean remoteCertTlsServer,
        Optional<VerifyX509Name> verifyX509Name,
        String tlsVersionMin,
        Duration renegotiation,
        Duration ping,
        Duration pingRestart,
        Duration connectRetry,
        Duration connectRetryMax,
        CompressionFraming compression,
        boolean pull,
        Optional<LocalIfconfig> ifconfig,
        List<Route> routes,
        boolean routeNoPull,
        ReplayWindowSize replayWindow) {

    public ClientConfig {
        remotes = List.copyOf(remotes);
        dataCiphers = List.copyOf(dataCiphers);
        routes = List.copyOf(routes);
        if (remotes.isEmpty() || dataCiphers.isEmpty()) {
            throw new IllegalArgumentException("a client has a remote and a cipher");
        }
    }

    /** Transport to a remote (options.c: udp, tcp-client and their 4/6 forms; tcp means tcp-client in a client). */
    public enum Transport { UDP, TCP }

    /** One {@code remote HOST [PORT] [PROTO]} or {@code <connection>}, with the defaults from {@code port} and {@code proto} applied. */
    public record Remote(String host, int port, Transport transport) {
        public Remote {
            Objects.requireNonNull(host);
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port);
            }
        }
    }

    /** Key or certificate material: the block inline in the configuration, or a file the shell reads from the Kv. */
    public sealed interface Material {
        record Inline(String text) implements Material {
            @Override
            public String toString() {
                return "Inline[" + text.length() + " characters]";
            }
        }

        record File(String name) implements Material {}
    }

    /** How control packets are protected (tls-auth, tls-crypt, tls-crypt-v2), with the key's material. */
    public sealed interface ControlWrapping {
        record None() implements ControlWrapping {}

        /** {@code tls-auth FILE [DIR]} or {@code <tls-auth>} with {@code key-direction}; none given is bidirectional. */
        record TlsAuth(Material key, KeyDirection direction) implements ControlWrapping {}

        record TlsCrypt(Material key) implements ControlWrapping {}

        record TlsCryptV2(Material key) implements ControlWrapping {}
    }

    /** {@code auth-user-pass}: inline, in a file, or (no parameter) from the unikernel's store, since nobody can be prompted. */
    public sealed interface Credentials {
        record Inline(String username, String password) implements Credentials {
            @Override
            public String toString() {
                return "Inline[" + username + ", password]";
            }
        }

        record File(String name) implements Credentials {}

        record FromStore() implements Credentials {}
    }

    /** {@code verify-x509-name NAME [subject|name|name-prefix]} (options.c, default subject). */
    public record VerifyX509Name(String name, Kind kind) {
        public enum Kind { SUBJECT, NAME, NAME_PREFIX }
    }

    /** A local {@code ifconfig LOCAL REMOTE-OR-MASK}, for a peer-to-peer configuration that pulls nothing. */
    public record LocalIfconfig(InetAddress local, InetAddress remoteOrNetmask) {}

    /** {@code route NETWORK [NETMASK] [GATEWAY] [METRIC]}; network and gateway stay text (they may be names or keywords). */
    public record Route(String network, String netmask, Optional<String> gateway) {}

    /** {@code replay-window N [T]}: packets and seconds (options.c defaults 64 and 15). */
    public record ReplayWindowSize(int packets, Duration time) {
        public static final ReplayWindowSize DEFAULT = new ReplayWindowSize(64, Duration.ofSeconds(15));
    }
}
