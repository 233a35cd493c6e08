package jmirage.qubes.firewall;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jmirage.core.Bytes;
import jmirage.core.Cancellable;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.TokenBucket;
import jmirage.core.Unikernel;
import jmirage.core.Unit;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Network;
import jmirage.dns.client.StubClient;
import jmirage.net.forward.Route;
import jmirage.net.forward.RouteError;
import jmirage.net.forward.Router;
import jmirage.net.forward.RouterInterface;
import jmirage.net.nat.NatConfig;
import jmirage.net.nat.NatTable;

/**
 * The firewall's shell: the router (platform/net's {@code forward.Router}) between the two networks
 * with NAT on the uplink and {@link Firewall} as its filter, the clients' link through
 * {@link ClientsPort}, and the feed read from the Kv at boot and again whenever its digest changes (or
 * on SIGHUP): the new {@link Firewall} is swapped in whole, between two datagrams, and the NAT mappings
 * the new rules no longer allow are removed at once.
 */
public final class FirewallService implements Unikernel.Running {

    /** What the firewall touches: its two networks, the Kv holding the feed, and the loop's devices. */
    public record Devices(Network uplink, Network clients, Kv kv, Clock clock, Scheduler scheduler, Random random, Log log,
                          Metrics metrics) {}

    private final Devices devices;
    private final Log log;
    private final ClientStatistics statistics = new ClientStatistics();
    private Firewall firewall;
    private String digest = "";
    private Router router;
    private Cancellable poll;
    private boolean reading;
    private HostNames hostNames;

    private FirewallService(Devices devices, Firewall firewall) {
        this.devices = devices;
        this.log = devices.log();
        this.firewall = firewall;
    }

    static Promise<Result<Unikernel.Running, String>> start(Devices d, Set<InetAddress> dns, int natCapacity, int pollMillis) {
        FirewallService service = new FirewallService(d, new Firewall(Feed.EMPTY, d.clients().ipv4(), dns, Map.of()));
        return service.refresh().map(read -> {
            if (read instanceof Result.Err<Unit, KvError>(KvError e)) {
                return Result.err("reading the feed: " + e.describe());
            }
            return service.route(natCapacity).map(running -> {
                // dsthost names through the first DNS server of the rules, from the uplink's address
                StubClient stub = new StubClient(d.uplink().stack(), d.scheduler(), d.random(),
                        StubClient.Config.of(new Endpoint(dns.iterator().next(), 53)));
                service.hostNames = new HostNames(stub, d.scheduler(), service.log.named("dsthost"), service::resolved);
                service.hostNames.follow(service.firewall.feed());
                service.poll = d.scheduler().every(Duration.ofMillis(pollMillis), service::poll);
                service.log.info("routing clients " + d.clients().ipv4() + " to uplink " + d.uplink().ipv4()
                        + d.uplink().gateway().map(g -> " via " + g.getHostAddress()).orElse("") + "; DNS for the rules "
                        + dns.stream().map(InetAddress::getHostAddress).toList());
                return running;
            });
        });
    }

    private Result<Unikernel.Running, String> route(int natCapacity) {
        Inet4Address outside = (Inet4Address) devices.uplink().ipv4().address();
        NatTable nat = new NatTable(NatConfig.of(outside, devices.random().nextLong()).withCapacity(natCapacity));
        ClientsPort clientsPort = new ClientsPort(devices.clients().packets(), () -> firewall, statistics);
        Router.Attachment clients = new Router.Attachment(new RouterInterface("clients", devices.clients().ipv4(),
                clientsPort.mtu()), clientsPort);
        List<Route> routes = devices.uplink().gateway().map(g -> List.of(Route.defaultVia("uplink", g))).orElse(List.of());
        Result<Router, RouteError> started = Router.start(List.of(Router.Attachment.of(devices.uplink()), clients), routes,
                Optional.of(new Router.Nat("uplink", nat)), this::filter, TokenBucket.perSecond(50, 100), devices.clock(), devices.scheduler(),
                log.named("router"));
        return switch (started) {
            case Result.Err<Router, RouteError>(RouteError e) -> Result.err(e.describe());
            case Result.Ok<Router, RouteError>(Router r) -> {
                router = r;
                r.register(devices.metrics());
                statistics.register(devices.metrics());
                yield Result.ok(this);
            }
        };
    }

    /** The router's filter: the client side's whole datagrams through the rules; the uplink's are the NAT's. */
    private Optional<String> filter(String ingress, Bytes datagram) {
        if (!ingress.equals("clients")) {
            return Optional.empty();
        }
        Firewall.Verdict verdict = firewall.fromClient(datagram);
        statistics.count(verdict);
        return switch (verdict) {
            case Firewall.Verdict.Accept a -> Optional.empty();
            case Firewall.Verdict.Drop(var client, Firewall.Reason reason) -> Optional.of("firewall: " + reason.name().toLowerCase());
        };
    }

    public ClientStatistics statistics() {
        return statistics;
    }

    public Firewall firewall() {
        return firewall;
    }

    public Router router() {
        return router;
    }

    private void poll() {
        if (reading) {
            return;
        }
        reading = true;
        FeedReader.digest(devices.kv()).onSuccess(d -> {
            reading = false;
            if (d instanceof Result.Ok<String, KvError>(String now) && !now.equals(digest)) {
                refresh();
            }
        });
    }

    /** Reads the feed and puts it in effect; the digest first, so that a change during the read is read again. */
    private Promise<Result<Unit, KvError>> refresh() {
        reading = true;
        return FeedReader.digest(devices.kv()).flatMap(d -> FeedReader.entries(devices.kv()).map(read -> {
            reading = false;
            return switch (read) {
                case Result.Err<Map<String, String>, KvError>(KvError e) -> {
                    log.warn("feed not read, keeping the rules in effect: " + e.describe());
                    yield Result.<Unit, KvError>err(e);
                }
                case Result.Ok<Map<String, String>, KvError>(Map<String, String> entries) -> {
                    d.map(seen -> digest = seen);
                    apply(Feed.read(entries, devices.clients().ipv4()));
                    yield Result.ok();
                }
            };
        }));
    }

    private void apply(Feed feed) {
        firewall = firewall.withFeed(feed);
        feed.problems().forEach(problem -> log.warn("feed: " + problem));
        int flushed = flush();
        log.info("feed: " + feed.clients().size() + " clients"
                + (flushed > 0 ? ", " + flushed + " NAT mappings the rules no longer allow removed" : ""));
        if (hostNames != null) {
            hostNames.follow(feed);
        }
    }

    /** New addresses of the dsthost names: in effect at once, the mappings they no longer allow removed. */
    private void resolved(Map<String, Set<InetAddress>> names) {
        firewall = firewall.withResolved(names);
        int flushed = flush();
        if (flushed > 0) {
            log.info("dsthost: " + flushed + " NAT mappings the new addresses no longer allow removed");
        }
    }

    /** Removes the NAT mappings of flows the current rules would not let start; how many. */
    private int flush() {
        return router == null ? 0 : router.natTable().orElseThrow().removeIf(m ->
                !(m.privateSide().address() instanceof Inet4Address client
                        && firewall.keeps(client, m.protocol(), m.remote().address(), m.remote().port())));
    }

    @Override
    public Promise<Result<Unit, List<ConfigProblem>>> reload() {
        return refresh().map(r -> r.mapError(e -> List.of(ConfigProblem.of("feed", e.describe()))));
    }

    @Override
    public Promise<Unit> stop() {
        poll.cancel();
        hostNames.stop();
        router.stop();
        return Promise.done();
    }
}
