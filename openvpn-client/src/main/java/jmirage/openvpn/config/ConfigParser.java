package jmirage.openvpn.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import jmirage.core.Result;
import jmirage.core.net.AddressError;
import jmirage.core.net.IpAddresses;
import jmirage.openvpn.config.ClientConfig.ControlWrapping;
import jmirage.openvpn.config.ClientConfig.Credentials;
import jmirage.openvpn.config.ClientConfig.LocalIfconfig;
import jmirage.openvpn.config.ClientConfig.Material;
import jmirage.openvpn.config.ClientConfig.Remote;
import jmirage.openvpn.config.ClientConfig.ReplayWindowSize;
import jmirage.openvpn.config.ClientConfig.Route;
import jmirage.openvpn.config.ClientConfig.Transport;
import jmirage.openvpn.config.ClientConfig.VerifyX509Name;
import jmirage.openvpn.data.AeadCipher;
import jmirage.openvpn.data.CompressionFraming;
import jmirage.openvpn.data.ReplayWindow;
import jmirage.openvpn.wire.Digest;
import jmirage.openvpn.wire.KeyDirection;

/**
 * Reads an OpenVPN client configuration into a {@link ClientConfig} (the directives and defaults of
 * OpenVPN 2.6's options.c and openvpn(8)). Directives the client does not act on become
 * {@link ConfigWarning}s, one each; what would be unsafe to ignore is a {@link ConfigError}: a server
 * configuration, static-key mode ({@code secret}), a tap device, compression (VORACLE), no AEAD
 * cipher to negotiate, a server nobody verifies.
 */
public final class ConfigParser {

    public record Parsed(ClientConfig config, List<ConfigWarning> warnings) {
        public Parsed {
            warnings = List.copyOf(warnings);
        }
    }

    /** options.c: the default --data-ciphers of OpenVPN 2.6. */
    public static final List<AeadCipher> DEFAULT_DATA_CIPHERS =
            List.of(AeadCipher.AES_256_GCM, AeadCipher.AES_128_GCM, AeadCipher.CHACHA20_POLY1305);
    static final int DEFAULT_PORT = 1194;

    /** Directives that make a server, whatever else the file says. */
    private static final Set<String> SERVER_DIRECTIVES = Set.of("tls-server", "server", "server-bridge", "mode", "dh", "client-config-dir", "ifconfig-pool");

    /** Directives that mean nothing more to a unikernel than what it does anyway. */
    private static final Set<String> NO_EFFECT = Set.of("nobind", "persist-key", "persist-tun", "auth-nocache");

    private ConfigParser() {}

    public static Result<Parsed, List<ConfigError>> parse(String text) {
        return ConfigLexer.lex(text).mapError(List::of).flatMap(directives -> new Reading(directives).read());
    }

    /** The state of one reading: what the directives said so far, and what went wrong. */
    private static final class Reading {
        private final List<Directive> directives;
        private final Map<String, Directive> blocks = new HashMap<>();
        private final List<ConfigError> errors = new ArrayList<>();
        private final List<ConfigWarning> warnings = new ArrayList<>();

        private record PendingRemote(int line, String host, OptionalInt port, Optional<Transport> transport) {}

        private final List<PendingRemote> remotes = new ArrayList<>();
        private boolean remoteRandom;
        private Optional<Transport> proto = Optional.empty();
        private int port = DEFAULT_PORT;
        private Optional<List<AeadCipher>> dataCiphers = Optional.empty();
        private final List<Directive> ciphers = new ArrayList<>();
        private Digest auth = Digest.SHA1;
        private Optional<Material> ca = Optional.empty();
        private Optional<Material> cert = Optional.empty();
        private Optional<Material> key = Optional.empty();
        private final List<Directive> wrappings = new ArrayList<>();
        private Optional<KeyDirection> keyDirection = Optional.empty();
        private Optional<Credentials> credentials = Optional.empty();
        private boolean remoteCertTlsServer;
        private Optional<VerifyX509Name> verifyX509Name = Optional.empty();
        private String tlsVersionMin = "1.2";
        private Duration reneg = Duration.ofHours(1);
        private Duration ping = Duration.ZERO;
        private Duration pingRestart = Duration.ZERO;
        private Duration connectRetry = Duration.ofSeconds(1);
        private Duration connectRetryMax = Duration.ofSeconds(300);
        private CompressionFraming compression = CompressionFraming.NONE;
        private boolean client;
        private boolean pull;
        private Optional<LocalIfconfig> ifconfig = Optional.empty();
        private final List<Route> routes = new ArrayList<>();
        private boolean routeNoPull;
        private ReplayWindowSize replayWindow = ReplayWindowSize.DEFAULT;

        Reading(List<Directive> directives) {
            this.directives = directives;
            for (Directive d : directives) {
                if (d.inline().isPresent()) {
                    blocks.putIfAbsent(d.name(), d);
                }
            }
        }

        Result<Parsed, List<ConfigError>> read() {
            for (Directive d : directives) {
                if (isServer(d)) {
                    return Result.err(List.of(new ConfigError(d.line(),
                            "'" + String.join(" ", name(d)) + "' makes this a server configuration; this is an OpenVPN client")));
                }
            }
            for (Directive d : directives) {
                directive(d);
            }
            if (!client) {
                errors.add(new ConfigError(0, "neither 'client' nor 'tls-client': not a configuration of a TLS client"));
            }
            if (remotes.isEmpty()) {
                errors.add(new ConfigError(0, "no 'remote': no server to connect to"));
            }
            if (ca.isEmpty()) {
                errors.add(new ConfigError(0, "no 'ca': the server's certificate could not be verified"));
            }
            if (cert.isPresent() != key.isPresent()) {
                errors.add(new ConfigError(0, cert.isPresent() ? "'cert' without 'key'" : "'key' without 'cert'"));
            }
            if (cert.isEmpty() && credentials.isEmpty()) {
                errors.add(new ConfigError(0, "neither 'cert' nor 'auth-user-pass': the client has no way to authenticate"));
            }
            List<AeadCipher> negotiable = negotiableCiphers();
            ControlWrapping wrapping = wrapping();
            if (!errors.isEmpty()) {
                return Result.err(List.copyOf(errors));
            }
            List<Remote> resolved = remotes.stream()
                    .map(r -> new Remote(r.host(), r.port().orElse(port), r.transport().or(() -> proto).orElse(Transport.UDP)))
                    .toList();
            ClientConfig config = new ClientConfig(resolved, remoteRandom, negotiable, auth, ca.orElseThrow(), cert, key, wrapping,
                    credentials, remoteCertTlsServer, verifyX509Name, tlsVersionMin, reneg, ping, pingRestart, connectRetry,
                    connectRetryMax, compression, pull, ifconfig, routes, routeNoPull, replayWindow);
            return Result.ok(new Parsed(config, warnings));
        }

        private static List<String> name(Directive d) {
            List<String> all = new ArrayList<>();
            all.add(d.name());
            if (d.inline().isEmpty()) {
                all.addAll(d.parameters());
            }
            return all;
        }

        private static boolean isServer(Directive d) {
            if (d.name().equals("mode")) {
                return d.count() > 0 && d.parameter(0).equals("server");
            }
            if (d.name().equals("proto")) {
                return d.count() > 0 && d.parameter(0).endsWith("-server");
            }
            return SERVER_DIRECTIVES.contains(d.name());
        }

        private void warn(Directive d, String text) {
            warnings.add(new ConfigWarning(d.line(), "'" + d.name() + "': " + text));
        }

        private void error(Directive d, String text) {
            errors.add(new ConfigError(d.line(), "'" + d.name() + "': " + text));
        }

        private void directive(Directive d) {
            switch (d.name()) {
                case "client" -> {
                    client = true;
                    pull = true;
                }
                case "tls-client" -> client = true;
                case "pull" -> pull = true;
                case "remote" -> remote(d);
                case "remote-random" -> remoteRandom = true;
                case "proto" -> transport(d, 0).ifPresent(t -> proto = Optional.of(t));
                case "port", "rport" -> number(d, 0, 1, 65535).ifPresent(p -> port = p);
                case "connection" -> connection(d);
                case "data-ciphers", "ncp-ciphers" -> dataCiphers(d);
                case "cipher" -> {
                    if (arity(d, 1, 1)) {
                        ciphers.add(d);
                    }
                }
                case "data-ciphers-fallback" -> {
                    if (arity(d, 1, 1) && AeadCipher.named(d.parameter(0)).isEmpty()) {
                        warn(d, d.parameter(0) + " is not an AEAD cipher; this client never falls back to it");
                    }
                }
                case "auth" -> {
                    if (arity(d, 1, 1)) {
                        Optional<Digest> digest = Digest.named(d.parameter(0));
                        digest.ifPresentOrElse(x -> auth = x, () -> error(d, "unknown digest " + d.parameter(0)));
                    }
                }
                case "ca" -> ca = material(d).or(() -> ca);
                case "cert" -> cert = material(d).or(() -> cert);
                case "key" -> key = material(d).or(() -> key);
                case "tls-auth", "tls-crypt", "tls-crypt-v2" -> {
                    if (d.inline().isPresent() || arity(d, 1, 2)) {
                        wrappings.add(d);
                    }
                }
                case "key-direction" -> number(d, 0, 0, 1).ifPresent(n -> keyDirection = Optional.of(n == 0 ? KeyDirection.NORMAL : KeyDirection.INVERSE));
                case "auth-user-pass" -> credentials(d);
                case "remote-cert-tls" -> {
                    if (arity(d, 1, 1)) {
                        if (d.parameter(0).equals("server")) {
                            remoteCertTlsServer = true;
                        } else {
                            error(d, "a client checks that the peer is a 'server', not '" + d.parameter(0) + "'");
                        }
                    }
                }
                case "verify-x509-name" -> verifyX509Name(d);
                case "tls-version-min" -> {
                    if (arity(d, 1, 2)) {
                        tlsVersionMin = d.parameter(0);
                        if (!Set.of("1.0", "1.1", "1.2", "1.3").contains(tlsVersionMin)) {
                            error(d, "unknown TLS version " + tlsVersionMin);
                        } else if (tlsVersionMin.compareTo("1.2") < 0) {
                            warn(d, "this client speaks TLS 1.2 and 1.3 only");
                            tlsVersionMin = "1.2";
                        }
                    }
                }
                case "reneg-sec" -> seconds(d, 1, 2).ifPresent(s -> reneg = s);
                case "ping" -> seconds(d, 1, 1).ifPresent(s -> ping = s);
                case "ping-restart" -> seconds(d, 1, 1).ifPresent(s -> pingRestart = s);
                case "keepalive" -> {
                    // options.c: a client's keepalive N M is ping N and ping-restart M.
                    if (arity(d, 2, 2)) {
                        seconds(d, 1, 2).ifPresent(s -> ping = s);
                        number(d, 1, 0, Integer.MAX_VALUE).ifPresent(s -> pingRestart = Duration.ofSeconds(s));
                    }
                }
                case "connect-retry" -> {
                    if (arity(d, 1, 2)) {
                        number(d, 0, 0, Integer.MAX_VALUE).ifPresent(s -> connectRetry = Duration.ofSeconds(s));
                        if (d.count() == 2) {
                            number(d, 1, 0, Integer.MAX_VALUE).ifPresent(s -> connectRetryMax = Duration.ofSeconds(s));
                        }
                    }
                }
                case "comp-lzo" -> {
                    if (d.count() == 1 && d.parameter(0).equals("no")) {
                        compression = CompressionFraming.LZO_NO;
                    } else {
                        error(d, "compression is refused (VORACLE: compressed and encrypted data leaks its plaintext); 'comp-lzo no' frames without compressing");
                    }
                }
                case "compress" -> {
                    String algorithm = d.count() == 0 ? "stub" : d.parameter(0);
                    switch (algorithm) {
                        case "stub" -> compression = CompressionFraming.STUB;
                        case "stub-v2" -> compression = CompressionFraming.STUB_V2;
                        default -> error(d, "compression is refused (VORACLE); 'compress stub-v2' frames without compressing");
                    }
                }
                case "secret" -> error(d, "static-key mode is refused: no forward secrecy, no cipher negotiation (deprecated in OpenVPN 2.6)");
                case "dev" -> {
                    if (d.count() > 0 && d.parameter(0).startsWith("tap")) {
                        error(d, "a tap device (Ethernet bridging) is not supported; this client routes IP (dev tun)");
                    }
                }
                case "dev-type" -> {
                    if (d.count() > 0 && !d.parameter(0).equals("tun")) {
                        error(d, "only 'tun' is supported, not '" + d.parameter(0) + "'");
                    }
                }
                case "ifconfig" -> {
                    if (arity(d, 2, 2)) {
                        Optional<InetAddress> local = ipv4(d, 0);
                        Optional<InetAddress> other = ipv4(d, 1);
                        if (local.isPresent() && other.isPresent()) {
                            ifconfig = Optional.of(new LocalIfconfig(local.get(), other.get()));
                        }
                    }
                }
                case "route" -> {
                    if (arity(d, 1, 4)) {
                        routes.add(new Route(d.parameter(0), d.count() > 1 ? d.parameter(1) : "255.255.255.255",
                                d.count() > 2 ? Optional.of(d.parameter(2)) : Optional.empty()));
                    }
                }
                case "route-nopull" -> routeNoPull = true;
                case "replay-window" -> {
                    if (arity(d, 1, 2)) {
                        OptionalInt n = number(d, 0, 1, 65536);
                        OptionalInt t = d.count() == 2 ? number(d, 1, 1, Integer.MAX_VALUE) : OptionalInt.of(15);
                        if (n.isPresent() && t.isPresent()) {
                            int packets = n.getAsInt();
                            if (packets > ReplayWindow.SIZE) {
                                warn(d, "this client's replay window is " + ReplayWindow.SIZE + " packets, not " + packets);
                                packets = ReplayWindow.SIZE;
                            }
                            replayWindow = new ReplayWindowSize(packets, Duration.ofSeconds(t.getAsInt()));
                        }
                    }
                }
                case "key-derivation", "peer-id" -> warn(d, "set by the server's push, ignored in a configuration");
                default -> {
                    if (!NO_EFFECT.contains(d.name())) {
                        warn(d, "not supported by this client, ignored");
                    }
                }
            }
        }

        private boolean arity(Directive d, int min, int max) {
            if (d.count() < min || d.count() > max) {
                error(d, min == max ? "takes " + min + " parameter" + (min == 1 ? "" : "s") + ", not " + d.count()
                        : "takes " + min + " to " + max + " parameters, not " + d.count());
                return false;
            }
            return true;
        }

        private OptionalInt number(Directive d, int index, int min, int max) {
            if (d.count() <= index) {
                error(d, "missing a number");
                return OptionalInt.empty();
            }
            String text = d.parameter(index);
            try {
                int n = Integer.parseInt(text);
                if (n < min || n > max) {
                    error(d, n + " is not between " + min + " and " + max);
                    return OptionalInt.empty();
                }
                return OptionalInt.of(n);
            } catch (NumberFormatException e) {
                error(d, "'" + text + "' is not a number");
                return OptionalInt.empty();
            }
        }

        private Optional<Duration> seconds(Directive d, int min, int max) {
            if (!arity(d, min, max)) {
                return Optional.empty();
            }
            OptionalInt n = number(d, 0, 0, Integer.MAX_VALUE);
            return n.isPresent() ? Optional.of(Duration.ofSeconds(n.getAsInt())) : Optional.empty();
        }

        private Optional<InetAddress> ipv4(Directive d, int index) {
            return switch (IpAddresses.parseIpv4(d.parameter(index))) {
                case Result.Ok<Inet4Address, AddressError>(Inet4Address a) -> Optional.of(a);
                case Result.Err<Inet4Address, AddressError>(AddressError e) -> {
                    error(d, e.describe());
                    yield Optional.empty();
                }
            };
        }

        private Optional<Transport> transport(Directive d, int index) {
            if (d.count() <= index) {
                error(d, "missing the protocol");
                return Optional.empty();
            }
            return switch (d.parameter(index).toLowerCase(Locale.ROOT)) {
                case "udp", "udp4", "udp6" -> Optional.of(Transport.UDP);
                case "tcp", "tcp4", "tcp6", "tcp-client", "tcp4-client", "tcp6-client" -> Optional.of(Transport.TCP);
                default -> {
                    error(d, "unknown protocol '" + d.parameter(index) + "'");
                    yield Optional.empty();
                }
            };
        }

        private void remote(Directive d) {
            if (!arity(d, 1, 3)) {
                return;
            }
            OptionalInt p = d.count() > 1 ? number(d, 1, 1, 65535) : OptionalInt.empty();
            Optional<Transport> t = d.count() > 2 ? transport(d, 2) : Optional.empty();
            remotes.add(new PendingRemote(d.line(), d.parameter(0), p, t));
        }

        /** A {@code <connection>} block: its remote, proto and port make one remote; anything else in it is named. */
        private void connection(Directive block) {
            String[] lines = block.inline().orElse("").split("\n", -1);
            Result<List<Directive>, ConfigError> inner = ConfigLexer.lex(lines, block.line());
            if (inner instanceof Result.Err<List<Directive>, ConfigError>(ConfigError e)) {
                errors.add(e);
                return;
            }
            Optional<Directive> remote = Optional.empty();
            OptionalInt localPort = OptionalInt.empty();
            Optional<Transport> localProto = Optional.empty();
            for (Directive d : inner.orElseThrow()) {
                switch (d.name()) {
                    case "remote" -> remote = Optional.of(d);
                    case "port", "rport" -> localPort = number(d, 0, 1, 65535);
                    case "proto" -> localProto = transport(d, 0);
                    default -> warn(d, "not supported inside <connection>, ignored");
                }
            }
            if (remote.isEmpty()) {
                errors.add(new ConfigError(block.line(), "<connection> without a 'remote'"));
                return;
            }
            Directive r = remote.get();
            if (!arity(r, 1, 3)) {
                return;
            }
            OptionalInt p = r.count() > 1 ? number(r, 1, 1, 65535) : localPort;
            Optional<Transport> t = r.count() > 2 ? transport(r, 2) : localProto;
            remotes.add(new PendingRemote(r.line(), r.parameter(0), p, t));
        }

        private void dataCiphers(Directive d) {
            if (!arity(d, 1, 1)) {
                return;
            }
            LinkedHashSet<AeadCipher> list = new LinkedHashSet<>();
            for (String name : d.parameter(0).split(":")) {
                // OpenVPN 2.6 allows a '?' prefix for a cipher that may be missing from the library.
                String bare = name.startsWith("?") ? name.substring(1) : name;
                AeadCipher.named(bare).ifPresentOrElse(list::add,
                        () -> warn(d, bare + " is not an AEAD cipher this client speaks, left out"));
            }
            dataCiphers = Optional.of(List.copyOf(list));
        }

        /**
         * options.c (2.6): an AEAD {@code cipher} missing from data-ciphers is added to them; a
         * non-AEAD one would only be a fallback for servers that do not negotiate, which this client
         * does not speak to.
         */
        private List<AeadCipher> negotiableCiphers() {
            LinkedHashSet<AeadCipher> list = new LinkedHashSet<>(dataCiphers.orElse(DEFAULT_DATA_CIPHERS));
            for (Directive c : ciphers) {
                Optional<AeadCipher> aead = AeadCipher.named(c.parameter(0));
                if (aead.isPresent()) {
                    list.add(aead.get());
                } else if (dataCiphers.isEmpty() || !dataCiphers.get().isEmpty()) {
                    warn(c, c.parameter(0) + " is not an AEAD cipher; the data channel is negotiated among "
                            + String.join(":", list.stream().map(AeadCipher::openvpnName).toList()) + " instead");
                } else {
                    error(c, c.parameter(0) + " is not an AEAD cipher and data-ciphers names none this client speaks");
                }
            }
            if (list.isEmpty() && ciphers.isEmpty()) {
                errors.add(new ConfigError(0, "data-ciphers names no AEAD cipher this client speaks (AES-256-GCM, AES-128-GCM, CHACHA20-POLY1305)"));
            }
            return List.copyOf(list);
        }

        /** {@code ca FILE}, {@code ca [inline]} with a {@code <ca>} block, or the block alone. */
        private Optional<Material> material(Directive d) {
            if (d.inline().isPresent()) {
                return Optional.of(new Material.Inline(d.inline().get()));
            }
            if (!arity(d, 1, 2)) {
                return Optional.empty();
            }
            return inlineOrFile(d);
        }

        private Optional<Material> inlineOrFile(Directive d) {
            if (d.parameter(0).equalsIgnoreCase("[inline]")) {
                Directive block = blocks.get(d.name());
                if (block == null) {
                    error(d, "'[inline]' without a <" + d.name() + "> block");
                    return Optional.empty();
                }
                return Optional.of(new Material.Inline(block.inline().orElseThrow()));
            }
            return Optional.of(new Material.File(d.parameter(0)));
        }

        private ControlWrapping wrapping() {
            // The block and a directive naming it ([inline]) are the same wrapping.
            List<Directive> distinct = wrappings.stream()
                    .filter(d -> d.inline().isPresent() || !d.parameter(0).equalsIgnoreCase("[inline]") || !blocks.containsKey(d.name()))
                    .toList();
            Set<String> kinds = new LinkedHashSet<>(distinct.stream().map(Directive::name).toList());
            if (kinds.size() > 1) {
                errors.add(new ConfigError(distinct.getLast().line(), "only one of tls-auth, tls-crypt and tls-crypt-v2: " + kinds));
                return new ControlWrapping.None();
            }
            if (distinct.isEmpty()) {
                return new ControlWrapping.None();
            }
            Directive d = distinct.getLast();
            Optional<Material> material = d.inline().isPresent() ? Optional.of(new Material.Inline(d.inline().get())) : inlineOrFile(d);
            if (material.isEmpty()) {
                return new ControlWrapping.None();
            }
            return switch (d.name()) {
                case "tls-auth" -> {
                    // options.c: the direction is tls-auth's second parameter, else key-direction, else none.
                    KeyDirection direction = keyDirection.orElse(KeyDirection.BIDIRECTIONAL);
                    for (Directive w : wrappings) {
                        if (w.inline().isEmpty() && w.count() >= 2) {
                            OptionalInt n = number(w, 1, 0, 1);
                            direction = n.isPresent() && n.getAsInt() == 0 ? KeyDirection.NORMAL : KeyDirection.INVERSE;
                        }
                    }
                    yield new ControlWrapping.TlsAuth(material.get(), direction);
                }
                case "tls-crypt" -> new ControlWrapping.TlsCrypt(material.get());
                default -> new ControlWrapping.TlsCryptV2(material.get());
            };
        }

        private void credentials(Directive d) {
            if (d.inline().isPresent()) {
                String[] lines = d.inline().get().split("\n");
                if (lines.length < 2) {
                    error(d, "an inline block holds the username and the password, one a line");
                    return;
                }
                credentials = Optional.of(new Credentials.Inline(lines[0].strip(), lines[1].strip()));
                return;
            }
            if (!arity(d, 0, 1)) {
                return;
            }
            if (d.count() == 0) {
                credentials = Optional.of(new Credentials.FromStore());
            } else if (d.parameter(0).equalsIgnoreCase("[inline]")) {
                if (!blocks.containsKey("auth-user-pass")) {
                    error(d, "'[inline]' without an <auth-user-pass> block");
                }
            } else if (credentials.isEmpty()) {
                credentials = Optional.of(new Credentials.File(d.parameter(0)));
            }
        }

        private void verifyX509Name(Directive d) {
            if (!arity(d, 1, 2)) {
                return;
            }
            String kind = d.count() == 2 ? d.parameter(1) : "subject";
            VerifyX509Name.Kind k = switch (kind) {
                case "subject" -> VerifyX509Name.Kind.SUBJECT;
                case "name" -> VerifyX509Name.Kind.NAME;
                case "name-prefix" -> VerifyX509Name.Kind.NAME_PREFIX;
                default -> null;
            };
            if (k == null) {
                error(d, "unknown kind '" + kind + "' (subject, name or name-prefix)");
            } else {
                verifyX509Name = Optional.of(new VerifyX509Name(d.parameter(0), k));
            }
        }
    }
}
