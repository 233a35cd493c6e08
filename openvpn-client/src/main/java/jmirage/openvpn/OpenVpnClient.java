package jmirage.openvpn;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Cancellable;
import jmirage.core.Clock;
import jmirage.core.DeviceProvider;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.TokenBucket;
import jmirage.core.Unikernel;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.Network;
import jmirage.core.net.NetworkClaim;
import jmirage.core.net.ReadResult;
import jmirage.core.net.UdpSocket;
import jmirage.net.forward.Route;
import jmirage.net.forward.Router;
import jmirage.net.forward.RouterInterface;
import jmirage.net.nat.NatConfig;
import jmirage.net.nat.NatTable;
import jmirage.openvpn.config.ClientConfig;
import jmirage.openvpn.config.ConfigError;
import jmirage.openvpn.config.ConfigParser;
import jmirage.openvpn.config.ConfigWarning;
import jmirage.openvpn.keys.PushReply;
import jmirage.openvpn.session.Session;
import jmirage.openvpn.wire.ControlWrap;
import jmirage.openvpn.wire.StaticKey;
import jmirage.openvpn.wire.TcpFraming;
import jmirage.openvpn.wire.TlsCryptV2ClientKey;
import jmirage.openvpn.wire.WireError;
import jmirage.tls.Credentials;
import jmirage.tls.TlsClientConfig;
import jmirage.tls.TlsDevices;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.Pem;
import jmirage.tls.x509.PemError;

/**
 * The OpenVPN client unikernel (issue 20, part 2): it claims the networks {@code uplink} (where the
 * server is reached) and {@code private} (the hosts it serves), reads {@code openvpn.conf} and the
 * files it names from the Kv, keeps a {@link Session} with the server over UDP or TCP on the
 * uplink's stack (reconnecting with back-off from {@code connect-retry} to {@code connect-retry-max}),
 * and routes the private network into the tunnel: a {@link Router} between {@code private} and the
 * tunnel ({@link TunnelPort}), with source NAT to the address the server pushed ({@code ifconfig}).
 */
public final class OpenVpnClient implements Unikernel<OpenVpnClient.Devices, OpenVpnClient.Parameters> {

    /** The configuration's key in the Kv. */
    public static final Key CONFIG = Key.parse("openvpn.conf").orElseThrow();
    /** Where {@code auth-user-pass} without a file finds its two lines. */
    public static final Key CREDENTIALS = Key.parse("auth-user-pass").orElseThrow();

    /** The devices: the loop, time, randomness, the log, the store, the metrics, and the two networks. */
    public record Devices(Clock clock, Scheduler scheduler, Random random, Log log, Kv kv, Metrics metrics, Network uplink,
            Network inside) {}

    /** No boot parameters: everything is in {@code openvpn.conf}. */
    public static final class Parameters {}

    @Override
    public String name() {
        return "openvpn-client";
    }

    @Override
    public String description() {
        return "OpenVPN 2.6 client routing a private network through the tunnel with NAT";
    }

    @Override
    public int heapMiB() {
        return 96;
    }

    @Override
    public Parameters parameters() {
        return new Parameters();
    }

    @Override
    public Devices claim(DeviceProvider d) {
        return new Devices(d.clock(), d.scheduler(), d.random(), d.log(), d.kv(), d.metrics(),
                d.network(new NetworkClaim("uplink", "where the OpenVPN server is reached")),
                d.network(new NetworkClaim("private", "the hosts whose traffic goes through the tunnel, translated")));
    }

    @Override
    public Promise<List<ConfigProblem>> check(DeviceProvider devices, Parameters parameters) {
        return read(devices.kv()).map(r -> switch (r) {
            case Result.Ok<Loaded, List<ConfigProblem>> ok -> List.<ConfigProblem>of();
            case Result.Err<Loaded, List<ConfigProblem>>(List<ConfigProblem> problems) -> problems;
        });
    }

    @Override
    public Promise<Result<Running, String>> start(Devices d, Parameters parameters) {
        return read(d.kv()).map(r -> switch (r) {
            case Result.Err<Loaded, List<ConfigProblem>>(List<ConfigProblem> problems) ->
                    Result.err(String.join("; ", problems.stream().map(ConfigProblem::describe).toList()));
            case Result.Ok<Loaded, List<ConfigProblem>>(Loaded loaded) -> {
                loaded.warnings().forEach(w -> d.log().warn(CONFIG + ": " + w.describe()));
                Client client = new Client(d, loaded);
                client.connect();
                yield Result.<Running, String>ok(() -> {
                    client.stop();
                    return Promise.done();
                });
            }
        });
    }

    // ---- the configuration and its files ----

    /** The configuration with its files read and its keys parsed. */
    record Loaded(ClientConfig config, List<ConfigWarning> warnings, Session.Settings settings) {}

    static Promise<Result<Loaded, List<ConfigProblem>>> read(Kv kv) {
        return kv.get(CONFIG).flatMap(got -> {
            if (!(got instanceof Result.Ok<Bytes, ?>(Bytes bytes))) {
                return Promise.resolved(Result.err(List.of(ConfigProblem.of(CONFIG.toString(), "cannot read it from the store: " + got))));
            }
            return switch (ConfigParser.parse(new String(bytes.toArray(), StandardCharsets.UTF_8))) {
                case Result.Err<ConfigParser.Parsed, List<ConfigError>>(List<ConfigError> errors) ->
                        Promise.resolved(Result.err(errors.stream().map(e -> e.problem(CONFIG.toString())).toList()));
                case Result.Ok<ConfigParser.Parsed, List<ConfigError>>(ConfigParser.Parsed parsed) -> load(kv, parsed);
            };
        });
    }

    private static Promise<Result<Loaded, List<ConfigProblem>>> load(Kv kv, ConfigParser.Parsed parsed) {
        ClientConfig c = parsed.config();
        Promise<Result<String, ConfigProblem>> ca = material(kv, c.ca(), "ca");
        Promise<Result<String, ConfigProblem>> cert = c.cert().map(m -> material(kv, m, "cert")).orElse(Promise.resolved(Result.ok("")));
        Promise<Result<String, ConfigProblem>> key = c.key().map(m -> material(kv, m, "key")).orElse(Promise.resolved(Result.ok("")));
        Promise<Result<String, ConfigProblem>> wrapKey = switch (c.wrapping()) {
            case ClientConfig.ControlWrapping.None n -> Promise.resolved(Result.ok(""));
            case ClientConfig.ControlWrapping.TlsAuth a -> material(kv, a.key(), "tls-auth");
            case ClientConfig.ControlWrapping.TlsCrypt t -> material(kv, t.key(), "tls-crypt");
            case ClientConfig.ControlWrapping.TlsCryptV2 t -> material(kv, t.key(), "tls-crypt-v2");
        };
        Promise<Result<String, ConfigProblem>> credentials = switch (c.credentials().orElse(null)) {
            case null -> Promise.resolved(Result.ok(""));
            case ClientConfig.Credentials.Inline i -> Promise.resolved(Result.ok(i.username() + "\n" + i.password()));
            case ClientConfig.Credentials.File f -> text(kv, f.name(), "auth-user-pass");
            case ClientConfig.Credentials.FromStore s -> text(kv, CREDENTIALS.toString(), "auth-user-pass");
        };
        return Promise.all(List.of(ca, cert, key, wrapKey, credentials)).map(texts -> {
            List<ConfigProblem> problems = new ArrayList<>();
            for (Result<String, ConfigProblem> t : texts) {
                if (t instanceof Result.Err<String, ConfigProblem>(ConfigProblem p)) {
                    problems.add(p);
                }
            }
            if (!problems.isEmpty()) {
                return Result.err(problems);
            }
            List<String> v = texts.stream().map(Result::orElseThrow).toList();
            return settings(c, v.get(0), v.get(1), v.get(2), v.get(3), v.get(4))
                    .map(s -> new Loaded(c, parsed.warnings(), s))
                    .mapError(reason -> List.of(ConfigProblem.of(CONFIG.toString(), reason)));
        });
    }

    private static Promise<Result<String, ConfigProblem>> material(Kv kv, ClientConfig.Material m, String what) {
        return switch (m) {
            case ClientConfig.Material.Inline i -> Promise.resolved(Result.ok(i.text()));
            case ClientConfig.Material.File f -> text(kv, f.name(), what);
        };
    }

    private static Promise<Result<String, ConfigProblem>> text(Kv kv, String name, String what) {
        return switch (Key.parse(name)) {
            case Result.Err<Key, ?> e -> Promise.resolved(Result.err(ConfigProblem.of(CONFIG.toString(), what + " '" + name + "': not a store key")));
            case Result.Ok<Key, ?>(Key key) -> kv.get(key).map(r -> r instanceof Result.Ok<Bytes, ?>(Bytes b)
                    ? Result.ok(new String(b.toArray(), StandardCharsets.UTF_8))
                    : Result.err(ConfigProblem.of(name, what + ": cannot read it from the store")));
        };
    }

    private static Result<Session.Settings, String> settings(ClientConfig c, String ca, String cert, String key, String wrapKey, String credentials) {
        var anchors = Pem.readCertificates(ca);
        if (!(anchors instanceof Result.Ok<List<jmirage.tls.x509.Certificate>, PemError>(var caCerts)) || caCerts.isEmpty()) {
            return Result.err("ca: no certificate");
        }
        TlsClientConfig tls = new TlsClientConfig(caCerts, Optional.empty(), Optional.empty(), List.of(), Duration.ofSeconds(60));
        if (!cert.isEmpty()) {
            var chain = Pem.readCertificates(cert);
            var pair = Pem.readPrivateKey(key);
            if (!(chain instanceof Result.Ok<List<jmirage.tls.x509.Certificate>, PemError>(var certs)) || certs.isEmpty()) {
                return Result.err("cert: no certificate");
            }
            if (!(pair instanceof Result.Ok<KeyPair, PemError>(KeyPair k))) {
                return Result.err("key: not a PKCS#8 private key (BEGIN PRIVATE KEY): " + ((Result.Err<KeyPair, PemError>) pair).error());
            }
            tls = tls.withClientCredentials(new Credentials(certs, k));
        }
        Result<ControlWrap, WireError> wrap = switch (c.wrapping()) {
            case ClientConfig.ControlWrapping.None n -> Result.ok(new ControlWrap.Plain());
            case ClientConfig.ControlWrapping.TlsAuth a -> StaticKey.parse(wrapKey).map(k -> ControlWrap.TlsAuth.of(k, a.direction(), c.auth()));
            case ClientConfig.ControlWrapping.TlsCrypt t -> StaticKey.parse(wrapKey).map(ControlWrap.TlsCrypt::client);
            case ClientConfig.ControlWrapping.TlsCryptV2 t -> TlsCryptV2ClientKey.parse(wrapKey).map(ControlWrap.TlsCrypt::client);
        };
        if (wrap instanceof Result.Err<ControlWrap, WireError>(WireError e)) {
            return Result.err("control channel key: " + e.reason());
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (c.credentials().isPresent()) {
            String[] lines = credentials.strip().split("\r?\n");
            if (lines.length < 2) {
                return Result.err("auth-user-pass: a username line and a password line");
            }
            user = Optional.of(lines[0]);
            password = Optional.of(lines[1]);
        }
        boolean tcp = c.remotes().getFirst().transport() == ClientConfig.Transport.TCP;
        return Result.ok(new Session.Settings(wrap.orElseThrow(), tcp, tls, c.dataCiphers(), user, password, c.renegotiation(), c.ping(),
                c.pingRestart(), c.compression(), Duration.ofSeconds(60)));
    }

    // ---- the running client ----

    /** The sessions one after the other, the transport of each, and the router once the tunnel is up. */
    static final class Client implements Session.Events {
        private final Devices d;
        private final Loaded loaded;
        private final Log log;
        private final TunnelPort tunnel = new TunnelPort();
        private final DnsRelay dns;
        private Session session;
        private UdpSocket udp;
        private Flow tcp;
        private Cancellable ticker;
        private jmirage.core.metrics.Counter sessions;
        private Cancellable retry;
        private Router router;
        private IpPrefix routed;
        private int attempts;
        private int remoteIndex;
        private boolean stopped;

        Client(Devices d, Loaded loaded) {
            this.d = d;
            this.loaded = loaded;
            this.log = d.log();
            this.dns = new DnsRelay(d.clock(), datagram -> {
                if (session != null) {
                    session.sendIp(datagram);
                }
            });
            tunnel.onLocal(dns::answer);
            register(d.metrics());
            d.inside().stack().bindUdp(DnsRelay.DNS, dns::query).onComplete((r, e) -> {
                if (e == null && r instanceof Result.Ok<UdpSocket, ?>(UdpSocket socket)) {
                    dns.listenOn(socket);
                } else {
                    log.warn("DNS relay on the private network: " + (e != null ? e : r));
                }
            });
            ticker = d.scheduler().every(Duration.ofSeconds(1), () -> {
                if (session != null) {
                    session.tick();
                }
            });
        }

        void connect() {
            if (stopped) {
                return;
            }
            ClientConfig.Remote remote = loaded.config().remotes().get(remoteIndex % loaded.config().remotes().size());
            InetAddress address;
            try {
                address = InetAddress.ofLiteral(remote.host());
            } catch (IllegalArgumentException e) {
                log.error("remote " + remote.host() + ": only addresses are supported, not names");
                retryLater();
                return;
            }
            Endpoint server = new Endpoint(address, remote.port());
            boolean overTcp = remote.transport() == ClientConfig.Transport.TCP;
            Session.Settings s = loaded.settings();
            Session.Settings settings = new Session.Settings(s.wrap(), overTcp, s.tls(), s.ciphers(), s.username(), s.password(),
                    s.renegotiation(), s.ping(), s.pingRestart(), s.compression(), s.handshakeWindow());
            log.info("connecting to " + server + " over " + (overTcp ? "TCP" : "UDP"));
            if (overTcp) {
                d.uplink().stack().connectTcp(server).onComplete((r, e) -> {
                    if (e != null || !(r instanceof Result.Ok<Flow, ?>(Flow flow))) {
                        log.warn("connecting to " + server + ": " + (e != null ? e : r));
                        retryLater();
                        return;
                    }
                    tcp = flow;
                    Session mine = begin(settings, bytes -> flow.write(TcpFraming.frame(bytes)));
                    readTcp(flow, mine, TcpFraming.EMPTY);
                });
            } else {
                d.uplink().stack().bindUdp(0, datagram -> {
                    if (session != null && datagram.source().equals(server)) {
                        session.input(datagram.payload());
                    }
                }).onComplete((r, e) -> {
                    if (e != null || !(r instanceof Result.Ok<UdpSocket, ?>(UdpSocket socket))) {
                        log.warn("UDP socket: " + (e != null ? e : r));
                        retryLater();
                        return;
                    }
                    udp = socket;
                    begin(settings, bytes -> socket.send(server, bytes));
                });
            }
        }

        private Session begin(Session.Settings settings, java.util.function.Consumer<Bytes> transport) {
            session = new Session(settings, transport, this, new TlsDevices(d.scheduler(), d.clock(), d.random()), log.named("session"));
            tunnel.attach(session);
            session.start();
            return session;
        }

        private void readTcp(Flow flow, Session mine, TcpFraming framing) {
            flow.read().onComplete((r, e) -> {
                if (mine.isDead()) {
                    return;
                }
                if (e != null || !(r instanceof Result.Ok<ReadResult, ?>(ReadResult.Data(Bytes bytes)))) {
                    failed("TCP connection ended: " + (e != null ? e : r), false);
                    return;
                }
                switch (framing.feed(bytes)) {
                    case Result.Err<TcpFraming.Fed, WireError>(WireError error) -> failed("TCP framing: " + error.reason(), false);
                    case Result.Ok<TcpFraming.Fed, WireError>(TcpFraming.Fed fed) -> {
                        fed.packets().forEach(mine::input);
                        if (!mine.isDead()) {
                            readTcp(flow, mine, fed.next());
                        }
                    }
                }
            });
        }

        @Override
        public void up(PushReply push) {
            attempts = 0;
            sessions.labels("up").inc();
            if (push.ifconfig().isEmpty()) {
                failed("the server pushed no ifconfig: nothing to translate the private network to", true);
                return;
            }
            Inet4Address local = push.ifconfig().get().local();
            int length = "subnet".equals(push.topology().orElse("net30")) ? prefixLength(push.ifconfig().get().netmaskOrRemote()) : 32;
            IpPrefix address = new IpPrefix(local, length);
            log.info("tunnel up: " + address + (push.dns().isEmpty() ? ""
                    : "; DNS on " + d.inside().ipv4().address().getHostAddress() + ":53 relayed to " + push.dns().getFirst().getHostAddress()));
            if (!push.dns().isEmpty()) {
                dns.use(local, push.dns().getFirst());
            }
            if (router != null && address.equals(routed)) {
                return;
            }
            if (router != null) {
                router.stop();
            }
            List<Router.Attachment> attachments = List.of(Router.Attachment.of(d.inside()),
                    new Router.Attachment(new RouterInterface("tunnel", address, tunnel.mtu()), tunnel));
            Route everything = new Route(IpPrefix.of(jmirage.net.wire.Wire.ipv4(0), 0), "tunnel", Optional.empty());
            NatTable nat = new NatTable(NatConfig.of(local, d.random().nextLong()));
            switch (Router.start(attachments, List.of(everything), Optional.of(new Router.Nat("tunnel", nat)), TokenBucket.perSecond(50, 100),
                    d.clock(), d.scheduler(), log.named("router"))) {
                case Result.Ok<Router, ?>(Router r) -> {
                    router = r;
                    routed = address;
                }
                case Result.Err<Router, ?>(var error) -> log.error("router: " + error);
            }
        }

        /**
         * {@code jmirage_openvpn_sessions_total{outcome}} (up, ended), {@code jmirage_openvpn_up},
         * {@code jmirage_openvpn_tunnel_dropped_total} (datagrams for a tunnel without a key),
         * {@code jmirage_openvpn_dns_relayed_total}, and the router of the moment's
         * {@code jmirage_router_datagrams_total{fate}} and {@code jmirage_nat_mappings}.
         */
        private void register(Metrics metrics) {
            sessions = metrics.counter("jmirage_openvpn_sessions_total", "Sessions with the server that came up, and that ended.", "outcome");
            metrics.gauge("jmirage_openvpn_up", "1 while the tunnel's data channel works.", () -> session != null && session.isUp() ? 1 : 0);
            metrics.counter("jmirage_openvpn_tunnel_dropped_total", "Datagrams for the tunnel dropped: no key, or nothing local to take them.",
                    List.of(), () -> java.util.Map.of(List.of(), tunnel.dropped()));
            metrics.counter("jmirage_openvpn_dns_relayed_total", "DNS answers relayed from the pushed server to the private network.",
                    List.of(), () -> java.util.Map.of(List.of(), dns.relayed));
            metrics.counter("jmirage_router_datagrams_total", "Datagrams the router forwarded, delivered to its own stacks, or answered"
                    + " with an ICMP error.", List.of("fate"), () -> {
                        Router.Counters c = router == null ? new Router.Counters(0, 0, 0, java.util.Map.of()) : router.counters();
                        return java.util.Map.of(List.of("forwarded"), c.forwarded(), List.of("delivered"), c.delivered(),
                                List.of("error_sent"), c.errorsSent());
                    });
            metrics.gauge("jmirage_nat_mappings", "Mappings in the NAT table.",
                    () -> router == null ? 0 : router.natTable().map(NatTable::size).orElse(0));
        }

        @Override
        public void packet(Bytes datagram) {
            tunnel.fromTunnel(datagram);
        }

        @Override
        public void failed(String reason, boolean fatal) {
            sessions.labels("ended").inc();
            if (session != null) {
                session.close();
            }
            closeTransport();
            if (fatal && reason.startsWith("HALT")) {
                log.error("session ended: " + reason + "; not reconnecting");
                return;
            }
            log.warn("session ended: " + reason + "; reconnecting");
            remoteIndex++;
            retryLater();
        }

        /** connect-retry, doubling per failed attempt up to connect-retry-max (openvpn(8) --connect-retry). */
        private void retryLater() {
            if (stopped) {
                return;
            }
            Duration base = loaded.config().connectRetry();
            Duration delay = base.multipliedBy(1L << Math.min(attempts, 16));
            if (delay.compareTo(loaded.config().connectRetryMax()) > 0) {
                delay = loaded.config().connectRetryMax();
            }
            attempts++;
            log.info("next attempt in " + delay.toSeconds() + " s");
            retry = d.scheduler().schedule(delay, this::connect);
        }

        private void closeTransport() {
            if (udp != null) {
                udp.close();
                udp = null;
            }
            if (tcp != null) {
                tcp.close();
                tcp = null;
            }
        }

        void stop() {
            stopped = true;
            ticker.cancel();
            dns.close();
            if (retry != null) {
                retry.cancel();
            }
            if (session != null) {
                session.close();
            }
            closeTransport();
            if (router != null) {
                router.stop();
            }
        }

        static int prefixLength(Inet4Address netmask) {
            byte[] b = netmask.getAddress();
            int bits = (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
            return Integer.bitCount(bits);
        }
    }
}
