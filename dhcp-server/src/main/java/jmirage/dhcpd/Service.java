package jmirage.dhcpd;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Cancellable;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.TokenBucket;
import jmirage.core.Unikernel.Running;
import jmirage.core.Unit;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.KvError;
import jmirage.core.net.Datagram;
import jmirage.core.net.Endpoint;
import jmirage.core.net.MacAddress;
import jmirage.core.net.NetError;
import jmirage.core.net.TcpListener;
import jmirage.core.net.UdpSocket;
import jmirage.dhcpd.DhcpServer.Devices;
import jmirage.dhcpd.DhcpServer.Parameters;
import jmirage.dhcpd.config.DhcpConfig;
import jmirage.dhcpd.core.DhcpCore;
import jmirage.dhcpd.core.DhcpCore.Destination;
import jmirage.dhcpd.core.DhcpCore.Outcome;
import jmirage.dhcpd.core.DnsChange;
import jmirage.dhcpd.core.HostNames;
import jmirage.dhcpd.core.Lease;
import jmirage.dhcpd.core.LeaseChange;
import jmirage.dhcpd.core.LeaseEvent;
import jmirage.dhcpd.core.LeaseDb;
import jmirage.http.server.HttpServer;
import jmirage.http.server.ServerConfig;
import jmirage.net.dhcp.DhcpMessage;
import jmirage.net.wire.ParseError;
import jmirage.net.wire.Wire;

/**
 * The shell: UDP on the Stack into {@link DhcpCore}, lease records into the Kv before the reply goes
 * out (group commit: records that arrive while a batch is being written go in the next one), and
 * the leases page on platform/http.
 */
final class Service implements Running {

    private static final Inet4Address BROADCAST = Wire.ipv4(-1);
    /** At most one line about malformed packets per this many nanoseconds (the rest are counted). */
    private static final Duration MALFORMED_LOG_INTERVAL = Duration.ofSeconds(10);
    /** How often ended leases are looked for, to count and log them (as Kea's reclamation timer, 10 s). */
    private static final Duration EXPIRY_SWEEP = Duration.ofSeconds(10);

    private final Devices devices;
    private final Parameters parameters;
    /** Replaced whole by {@link #reload}, on the loop, between two messages. */
    private DhcpCore core;
    /** The leases: the core reads them, and its changes are applied here as each outcome comes back. */
    private final LeaseDb leases;
    private final LeaseStore store;
    private Inet4Address receivedOn;
    private final Log log;
    private final LeaseClock clock;
    private UdpSocket socket;
    private TcpListener httpListener;
    private HttpServer http;

    private final Map<Inet4Address, Lease> toWrite = new LinkedHashMap<>();
    private List<Runnable> afterWrite = new ArrayList<>();
    private Promise<Unit> writing;
    private final TokenBucket malformedLog = new TokenBucket(1, MALFORMED_LOG_INTERVAL);
    /** Lease events and NAKs, a line each within a budget. */
    private final LeaseLog leaseLog;
    private final DhcpMetrics metrics;
    /** Ended leases up to here were counted and logged. */
    private Instant sweptUpTo;
    private Cancellable expirySweep;
    /** Clients' names in DNS (RFC 4703), when dhcpd.conf asks for dynamic updates. */
    private final DnsUpdates dnsUpdates;

    private Service(Devices devices, Parameters parameters, DhcpCore core, LeaseDb leases, LeaseStore store,
            Inet4Address receivedOn, LeaseClock clock) {
        this.leases = leases;
        this.clock = clock;
        this.devices = devices;
        this.store = store;
        this.parameters = parameters;
        this.core = core;
        this.receivedOn = receivedOn;
        this.log = devices.log();
        this.leaseLog = new LeaseLog(log, devices.clock(), devices.scheduler());
        this.metrics = new DhcpMetrics(devices.metrics(), () -> this.core.usage(this.leases, this.receivedOn, this.clock.now()));
        this.sweptUpTo = clock.now();
        this.dnsUpdates = new DnsUpdates(devices.stack(), devices.scheduler(), clock, devices.random(), log.named("ddns"), metrics,
                () -> this.core.config().ddns(), this::nameRemoved);
    }

    static Promise<Result<Running, BootError>> start(Devices devices, Parameters p, ConfigCheck.Configuration configuration) {
        DhcpConfig config = configuration.config();
        Optional<Inet4Address> on = configuration.serverAddress().or(() -> interfaceAddress(devices, config));
        if (on.isEmpty()) {
            return Promise.resolved(Result.err(new BootError.NoServerAddress(List.copyOf(devices.stack().addresses()))));
        }
        LeaseDb db = new LeaseDb();
        LeaseClock clock = new LeaseClock(devices.clock());
        Instant now = clock.now();
        return LeaseStore.load(devices.kv(), db, devices.log(), now).flatMap(loaded -> switch (loaded) {
            case Result.Err<LeaseStore, LeaseStoreError>(LeaseStoreError e) ->
                    Promise.resolved(Result.<Running, BootError>err(new BootError.CannotLoadLeases(e)));
            case Result.Ok<LeaseStore, LeaseStoreError>(LeaseStore store) -> {
                devices.log().info("loaded " + db.size() + " lease records, " + db.live(now).size() + " live");
                yield new Service(devices, p, new DhcpCore(config, configuration.settings()), db, store, on.get(), clock).open();
            }
        });
    }

    private static Optional<Inet4Address> interfaceAddress(Devices devices, DhcpConfig config) {
        List<Inet4Address> mine = new ArrayList<>();
        for (InetAddress a : devices.stack().addresses()) {
            if (a instanceof Inet4Address v4 && !v4.isAnyLocalAddress()) {
                mine.add(v4);
            }
        }
        return mine.stream().filter(a -> config.subnetOf(a).isPresent()).findFirst();
    }

    private Promise<Result<Running, BootError>> open() {
        return devices.stack().bindUdp(parameters.port, this::receive).flatMap(bound -> {
            if (bound instanceof Result.Err<UdpSocket, NetError>(NetError e)) {
                return Promise.resolved(Result.<Running, BootError>err(new BootError.CannotBindUdp(parameters.port, e)));
            }
            socket = bound.orElseThrow();
            if (parameters.httpPort == 0) {
                return Promise.resolved(serving());
            }
            http = new HttpServer(devices.scheduler(), devices.clock(), log.named("http"), ServerConfig.defaults(),
                    LeasesPage.handler(leases, clock));
            return http.listen(devices.stack(), parameters.httpPort).flatMap(listening -> {
                if (listening instanceof Result.Err<TcpListener, NetError>(NetError e)) {
                    return socket.close().map(u -> Result.<Running, BootError>err(
                            new BootError.CannotListenForLeasesPage(parameters.httpPort, e)));
                }
                httpListener = listening.orElseThrow();
                return Promise.resolved(serving());
            });
        });
    }

    /**
     * Boot is done: ended leases are looked for from now on, and DNS is brought in line with the
     * stored names (removals a stop interrupted or expiries while down; live names asserted again).
     */
    private Result<Running, BootError> serving() {
        expirySweep = devices.scheduler().every(EXPIRY_SWEEP, this::sweepExpired);
        announce();
        if (core.config().ddns().isPresent()) {
            dnsUpdates.submit(DnsChange.atBoot(leases, clock.now()));
        }
        return Result.ok(this);
    }

    private void sweepExpired() {
        Instant now = clock.now();
        LeaseEvent.expired(leases, sweptUpTo, now).forEach(e -> leaseEvent(e, Optional.empty()));
        // RFC 4703 5.5: an ended lease's name leaves DNS (the sweep is the timer that notices it)
        dnsUpdates.submit(DnsChange.expired(leases, sweptUpTo, now));
        sweptUpTo = now;
    }

    /**
     * A removal from DNS ran without a failure: the record it was read from no longer needs its
     * name kept, unless the address has changed hands or state since.
     */
    private void nameRemoved(Lease lease) {
        if (socket == null || !leases.at(lease.address()).equals(Optional.of(lease))) {
            return; // stopped (the next boot removes it again, harmlessly), or the address moved on
        }
        Lease cleared = lease.withoutName();
        leases.apply(new LeaseChange.Durable(cleared));
        durably(List.of(cleared), () -> { });
    }

    private void announce() {
        DhcpConfig c = core.config();
        for (DhcpConfig.Subnet s : c.subnets()) {
            log.info("serving " + s.network() + " pool " + s.ranges() + " (" + s.poolSize() + " addresses), lease "
                    + s.defaultLease().toSeconds() + " s, max " + s.maxLease().toSeconds() + " s");
        }
        log.info("dhcp on udp " + parameters.port + " as " + receivedOn.getHostAddress() + ", " + c.hosts().size()
                + " static hosts" + (httpListener == null ? "" : ", leases page on tcp " + httpListener.local().port()));
    }

    private void receive(Datagram d) {
        Result<DhcpMessage, ParseError> parsed = DhcpMessage.parse(d.payload());
        switch (parsed) {
            case Result.Err<DhcpMessage, ParseError>(ParseError e) -> malformed(d, e.reason());
            case Result.Ok<DhcpMessage, ParseError>(DhcpMessage m) -> {
                metrics.received(m);
                handle(d, m);
            }
        }
    }

    private void handle(Datagram d, DhcpMessage m) {
        // Sent to a broadcast address, or unicast to us (RENEWING, INFORM). The host target's sockets
        // do not tell (they report the wildcard address): taken as unicast, so ciaddr is trusted.
        InetAddress sentTo = d.destination().address();
        boolean broadcast = sentTo.equals(BROADCAST)
                || core.config().subnets().stream().anyMatch(s -> s.network().last().equals(sentTo));
        Instant now = clock.now();
        Outcome outcome = core.handle(leases, new DhcpCore.Inbound(m, receivedOn, broadcast), now);
        List<LeaseEvent> events = LeaseEvent.of(leases, outcome, now);
        List<DnsChange> dns = DnsChange.of(leases, outcome.durable(), now);
        // In effect at once, so the next message sees them; the durable ones reach the store before
        // the reply leaves, and the events are counted and logged once they are there.
        leases.apply(outcome.changes());
        switch (outcome) {
            case Outcome.Malformed(String reason) -> malformed(d, reason);
            case Outcome.Ignored(String reason, var _) ->
                    log.debug(() -> "ignored from " + d.source() + " " + m.chaddr() + ": " + reason);
            case Outcome.Update _ -> durably(outcome.durable(), () -> {
                events.forEach(e -> leaseEvent(e, Optional.of(m)));
                dnsUpdates.submit(dns);
            });
            case Outcome.Reply(DhcpMessage reply, Destination to, var _) -> durably(outcome.durable(), () -> {
                send(reply, to, m);
                events.forEach(e -> leaseEvent(e, Optional.of(m)));
                refusedName(outcome.durable(), m);
                dnsUpdates.submit(dns); // after the reply: DNS never delays it
            });
        }
    }

    /** Logs (within the budget) why the host name of a client just bound is not put in DNS. */
    private void refusedName(List<Lease> records, DhcpMessage request) {
        if (core.config().ddns().isPresent() && records.stream().anyMatch(l -> l.state() == Lease.State.BOUND)
                && HostNames.asked(request) instanceof HostNames.Asked.Refused(String given, String why)) {
            leaseLog.info(() -> "host name '" + given + "' of " + request.chaddr() + " not put in DNS: " + why);
        }
    }

    /** Counts {@code event} and logs it as ISC dhcpd does ({@code DHCPACK on A to MAC via V}), within the budget. */
    private void leaseEvent(LeaseEvent event, Optional<DhcpMessage> from) {
        metrics.leaseEvent(event);
        leaseLog.info(() -> line(event, from));
    }

    private String line(LeaseEvent event, Optional<DhcpMessage> from) {
        String a = event.address().getHostAddress();
        String via = from.map(this::via).orElse("");
        return switch (event) {
            case LeaseEvent.Granted(var _, var mac, Duration time) -> "DHCPACK on " + a + " to " + mac + via + " (new lease, "
                    + time.toSeconds() + " s)";
            case LeaseEvent.Renewed(var _, var mac, Duration time) -> "DHCPACK on " + a + " to " + mac + via + " (renewed, "
                    + time.toSeconds() + " s)";
            case LeaseEvent.Released(var _, var mac) -> "DHCPRELEASE of " + a + " from " + mac + via;
            case LeaseEvent.Declined(var _, var mac, Duration quarantine) -> "DHCPDECLINE of " + a + " from " + mac + via
                    + ": in use on the network, out of the pool for " + quarantine.toSeconds() + " s";
            case LeaseEvent.Expired(var _, var mac, Instant end) -> "lease of " + a + " to " + mac + " expired at " + end;
        };
    }

    /** Where a message came from, as ISC dhcpd says it: the relay, else our address on the link. */
    private String via(DhcpMessage m) {
        return " via " + (m.giaddr().equals(Wire.ipv4(0)) ? receivedOn : m.giaddr()).getHostAddress();
    }

    /** At most one line per interval: the suffix for a line to log now (how many were left out), or empty. */
    private Optional<String> lineAllowed(TokenBucket interval) {
        long leftOut = interval.take(devices.clock().monotonicNanos());
        if (leftOut < 0) {
            return Optional.empty();
        }
        return Optional.of(leftOut == 0 ? "" : " (" + leftOut + " more since the last such line)");
    }

    private void malformed(Datagram d, String reason) {
        metrics.malformed();
        lineAllowed(malformedLog)
                .ifPresent(more -> log.warn("dropped a malformed DHCP message from " + d.source() + ": " + reason + more));
    }

    /** Runs {@code then} once {@code records} are in the store (at once if there are none). */
    private void durably(List<Lease> records, Runnable then) {
        if (records.isEmpty()) {
            then.run();
            return;
        }
        records.forEach(l -> toWrite.put(l.address(), l));
        afterWrite.add(then);
        if (writing == null) {
            writeBatch();
        }
    }

    private void writeBatch() {
        List<Lease> records = List.copyOf(toWrite.values());
        List<Runnable> waiting = afterWrite;
        toWrite.clear();
        afterWrite = new ArrayList<>();
        Promise<Unit> done = Promise.pending();
        writing = done;
        store.write(records, leases).onComplete((r, bug) -> {
            if (r != null && r.isOk()) {
                waiting.forEach(Runnable::run);
            } else {
                // Nothing was promised to these clients: they retransmit and we try again.
                metrics.storeWriteFailed(waiting.size());
                log.error("lease store write failed, " + waiting.size() + " replies withheld: "
                        + (r instanceof Result.Err<Unit, KvError>(KvError e) ? e.describe() : String.valueOf(bug)));
            }
            if (toWrite.isEmpty()) {
                writing = null;
                done.resolve(Unit.UNIT);
            } else {
                writeBatch();
                writing.onComplete((u, e) -> done.resolve(Unit.UNIT));
            }
        });
    }

    private void send(DhcpMessage reply, Destination to, DhcpMessage request) {
        if (socket == null) {
            return;
        }
        Endpoint target = switch (to) {
            case Destination.Relay(Inet4Address giaddr) -> new Endpoint(giaddr, parameters.port);
            case Destination.Client(Inet4Address ciaddr) -> new Endpoint(ciaddr, parameters.clientPort);
            case Destination.Hardware h -> new Endpoint(h.yiaddr(), parameters.clientPort);
            case Destination.Broadcast() -> new Endpoint(BROADCAST, parameters.clientPort);
        };
        int type = reply.messageType().orElseThrow();
        metrics.sent(type);
        if (type == DhcpMessage.NAK) {
            leaseLog.info(() -> "DHCPNAK on " + request.address(DhcpMessage.OPT_REQUESTED_IP).orElse(request.ciaddr()).getHostAddress()
                    + " to " + reply.chaddr() + via(request) + ": "
                    + Optional.ofNullable(reply.options().get(DhcpMessage.OPT_MESSAGE)).map(Bytes::toUtf8).orElse(""));
        } else if (type == DhcpMessage.OFFER) {
            log.debug(() -> "DHCPOFFER on " + reply.yiaddr().getHostAddress() + " to " + reply.chaddr() + via(request));
        }
        Bytes bytes = reply.encode();
        if (to instanceof Destination.Hardware(Inet4Address yiaddr, MacAddress chaddr)) {
            // Only our own stack can address a frame to a MAC; the host's sockets would ARP for an
            // address nobody holds yet, so there the reply is broadcast (RFC 2131 4.1 allows it).
            if (devices.link().isPresent()) {
                Result<Unit, NetError> sent = devices.link().get().sendUdpTo(chaddr, parameters.port, target, bytes);
                if (sent instanceof Result.Err<Unit, NetError>(NetError e)) {
                    log.debug(() -> "reply to " + chaddr + " failed: " + e.describe());
                }
                return;
            }
            socket.send(new Endpoint(BROADCAST, parameters.clientPort), bytes);
            return;
        }
        socket.send(target, bytes).onSuccess(r -> {
            if (r instanceof Result.Err<Unit, NetError>(NetError e)) {
                log.debug(() -> "reply to " + target + " failed: " + e.describe());
            }
        });
    }

    /**
     * Reads dhcpd.conf again (SIGHUP) and, if it has no problems, serves it from the next message on;
     * the leases, offers in flight and writes in flight are kept. A live lease the new configuration
     * no longer covers is kept until its client renews, which gets a NAK and starts over (README).
     */
    @Override
    public Promise<Result<Unit, List<ConfigProblem>>> reload() {
        return ConfigCheck.read(devices.kv(), parameters).map(read -> switch (read) {
            case Result.Err<ConfigCheck.Configuration, List<ConfigProblem>> refused -> Result.<Unit, List<ConfigProblem>>err(refused.error());
            case Result.Ok<ConfigCheck.Configuration, List<ConfigProblem>>(ConfigCheck.Configuration c) -> {
                Optional<Inet4Address> on = c.serverAddress().or(() -> interfaceAddress(devices, c.config()));
                if (on.isEmpty()) {
                    yield Result.<Unit, List<ConfigProblem>>err(List.of(ConfigProblem.of(parameters.configKey,
                            new BootError.NoServerAddress(List.copyOf(devices.stack().addresses())).describe())));
                }
                core = new DhcpCore(c.config(), c.settings());
                receivedOn = on.get();
                Instant now = clock.now();
                long uncovered = leases.live(now).stream().filter(l -> !covers(c.config(), l)).count();
                if (uncovered > 0) {
                    log.warn(uncovered + " live leases are outside the new configuration's pools: each stays its client's"
                            + " until the client renews, which is NAKed, and starts over");
                }
                announce();
                yield Result.<List<ConfigProblem>>ok();
            }
        });
    }

    /** Whether {@code lease}'s address is still in a range of its subnet, or a static host's. */
    private static boolean covers(DhcpConfig config, Lease lease) {
        return config.subnetOf(lease.address()).filter(s -> s.inRange(lease.address())).isPresent()
                || config.hosts().stream().anyMatch(h -> h.fixedAddress().equals(lease.address()));
    }

    @Override
    public Promise<Unit> stop() {
        log.info("stopping: " + metrics.summary());
        dnsUpdates.stop();
        if (expirySweep != null) {
            expirySweep.cancel();
        }
        leaseLog.stop();
        List<Promise<Unit>> closing = new ArrayList<>();
        if (socket != null) {
            closing.add(socket.close());
            socket = null;
        }
        if (httpListener != null) {
            closing.add(httpListener.close());
            closing.add(http.stop());
        }
        if (writing != null) {
            closing.add(writing);
        }
        return Promise.all(closing).map(x -> Unit.UNIT);
    }
}
