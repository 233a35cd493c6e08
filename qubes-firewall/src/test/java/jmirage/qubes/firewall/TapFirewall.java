package jmirage.qubes.firewall;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.RecordingLog;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.kv.Key;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.IpPrefix;
import jmirage.host.ConsoleLog;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.TapDevice;
import jmirage.kv.MemKv;
import jmirage.net.DirectNetwork;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.testkit.NetNamespace;
import jmirage.testkit.OnLoop;
import jmirage.testkit.Sh;

/**
 * The unikernel on the tap target for the root tests, as {@code ./unikernel run qubes-firewall
 * --target tap --net uplink=qfwtapu,ipv4=10.34.0.1/16,gateway=10.34.0.5 --net clients=qfwtapc,ipv4=10.33.0.1/24}
 * would boot it, in this JVM so that the test reads its counters: the TAP {@code qfwtapc} in the
 * namespace {@code qfw-br} on the bridge {@code qfwbr0}, whose client ports are {@code isolated on}
 * (decision 25); clients A (10.33.0.2) and B (10.33.0.3) in namespaces {@code qfw-a} and {@code qfw-b},
 * each with a /32 and the firewall as gateway, as Qubes configures its VMs; the TAP {@code qfwtapu}
 * in {@code qfw-up}, the upstream, holding the server 10.34.0.5 (the firewall's gateway) and the DNS
 * server 10.34.0.53. The feed is a mem store the test changes.
 */
public final class TapFirewall implements AutoCloseable {

    public static final NetNamespace BRIDGE = new NetNamespace("qfw-br");
    public static final NetNamespace A = new NetNamespace("qfw-a");
    public static final NetNamespace B = new NetNamespace("qfw-b");
    public static final NetNamespace UP = new NetNamespace("qfw-up");
    static final String CLIENTS_TAP = "qfwtapc";
    public static final String UPLINK_TAP = "qfwtapu";

    final HostScheduler loop = HostScheduler.start("qubes-firewall");
    final HostClock clock = new HostClock();
    final HostRandom random = new HostRandom();
    final RecordingLog log = ConsoleLog.create("qubes-firewall", LogLevel.INFO, clock);
    final Metrics metrics = new Metrics();
    final MemKv kv = new MemKv(clock);
    TapDevice clientsTap;
    TapDevice uplinkTap;
    FirewallService service;

    /** Builds the namespaces and boots the firewall on the feed {@code feed}, with {@code dns} as its {@code --dns}. */
    public static TapFirewall start(Map<String, String> feed, List<String> dns) throws Exception {
        Sh.requireRootNetworking();
        Sh.requireCommand("python3", "python3");
        removeLeftovers();
        TapFirewall f = new TapFirewall();
        try {
            f.build(feed, dns);
        } catch (Exception | AssertionError e) {
            f.close();
            throw e;
        }
        return f;
    }

    /** What a run killed before its cleanup left. */
    public static void removeLeftovers() {
        for (NetNamespace ns : List.of(BRIDGE, A, B, UP)) {
            ns.delete();
        }
        Sh.quietly("ip", "link", "del", CLIENTS_TAP);
        Sh.quietly("ip", "link", "del", UPLINK_TAP);
    }

    private void build(Map<String, String> feed, List<String> dns) throws Exception {
        for (NetNamespace ns : List.of(BRIDGE, A, B, UP)) {
            ns.create();
            ns.ip("link", "set", "lo", "up");
        }
        BRIDGE.ip("link", "add", "qfwbr0", "type", "bridge");
        BRIDGE.ip("link", "set", "qfwbr0", "up");
        client(A, "a", "10.33.0.2", "02:00:00:00:00:02");
        client(B, "b", "10.33.0.3", "02:00:00:00:00:03");
        clientsTap = OnLoop.await(loop, () -> Promise.resolved(TapDevice.open(CLIENTS_TAP, Optional.empty(), loop, random, log)))
                .orElseThrow(e -> new IllegalStateException(e.describe()));
        uplinkTap = OnLoop.await(loop, () -> Promise.resolved(TapDevice.open(UPLINK_TAP, Optional.empty(), loop, random, log)))
                .orElseThrow(e -> new IllegalStateException(e.describe()));
        Sh.ok("ip", "link", "set", CLIENTS_TAP, "netns", BRIDGE.name());
        BRIDGE.ip("link", "set", CLIENTS_TAP, "master", "qfwbr0");
        BRIDGE.ip("link", "set", CLIENTS_TAP, "up");
        UP.adoptTap(UPLINK_TAP, Optional.of("10.34.0.5/16"));
        UP.ip("addr", "add", "10.34.0.53/16", "dev", UPLINK_TAP);

        OnLoop.await(loop, () -> {
            feed.forEach((key, value) -> kv.set(Key.of(key), Bytes.utf8(value)));
            return Promise.done();
        });
        DirectNetwork uplink = network("uplink", uplinkTap, "10.34.0.1/16", Optional.of(Packets.SERVER));
        DirectNetwork clients = network("clients", clientsTap, "10.33.0.1/24", Optional.empty());
        QubesFirewall unikernel = new QubesFirewall();
        QubesFirewall.Parameters p = unikernel.parameters();
        p.dns.addAll(dns);
        FirewallService.Devices devices = new FirewallService.Devices(uplink, clients, kv, clock, loop, random, log, metrics);
        Result<Unikernel.Running, String> started = OnLoop.await(loop, () -> unikernel.start(devices, p));
        service = (FirewallService) started.orElseThrow(IllegalStateException::new);
    }

    private DirectNetwork network(String name, TapDevice tap, String address, Optional<Inet4Address> gateway) throws Exception {
        Ipv4Config config = new Ipv4Config.Static(IpPrefix.parseIpv4WithLength(address).orElseThrow(), gateway);
        return OnLoop.await(loop, () -> DirectNetwork.start(name, DirectStack.start(tap, config, clock, loop, random, log.named(name))))
                .orElseThrow(e -> new IllegalStateException(e.describe()));
    }

    /** A client namespace on an isolated port of the bridge: its MAC, its /32, the firewall its gateway. */
    private static void client(NetNamespace ns, String letter, String address, String mac) {
        String port = "qfwv" + letter;
        String peer = "qfwp" + letter;
        Sh.ok("ip", "link", "add", port, "type", "veth", "peer", "name", peer);
        Sh.ok("ip", "link", "set", port, "netns", BRIDGE.name());
        Sh.ok("ip", "link", "set", peer, "netns", ns.name());
        BRIDGE.ip("link", "set", port, "master", "qfwbr0");
        BRIDGE.ip("link", "set", "dev", port, "type", "bridge_slave", "isolated", "on");
        BRIDGE.ip("link", "set", port, "up");
        ns.ip("link", "set", peer, "name", "eth0");
        ns.ip("link", "set", "eth0", "address", mac);
        Sh.ok(ns.exec("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1").toArray(String[]::new));
        ns.ip("link", "set", "eth0", "up");
        ns.ip("addr", "add", address + "/32", "dev", "eth0");
        ns.ip("route", "add", "10.33.0.1", "dev", "eth0");
        ns.ip("route", "add", "default", "via", "10.33.0.1");
    }

    /** Changes the feed: each entry set (an empty value removes it). */
    public void set(Map<String, String> entries) throws Exception {
        OnLoop.await(loop, () -> {
            entries.forEach((key, value) -> {
                if (value.isEmpty()) {
                    kv.remove(Key.of(key));
                } else {
                    kv.set(Key.of(key), Bytes.utf8(value));
                }
            });
            return Promise.done();
        });
    }

    /** One count of the statistics, read on the loop. */
    public long count(Inet4Address client, String fate) throws Exception {
        return OnLoop.await(loop, () -> Promise.resolved(service.statistics().get(client, fate)));
    }

    /** The NAT mappings of {@code client}'s flows, read on the loop. */
    public long natMappingsOf(Inet4Address client) throws Exception {
        return OnLoop.await(loop, () -> Promise.resolved(service.router().natTable().orElseThrow().mappings().stream()
                .filter(m -> m.privateSide().address().equals(client)).count()));
    }

    /** A script of the test's resources, copied out so that python3 in a namespace can read it. */
    public static Path script(Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        if (!Files.exists(file)) {
            try (InputStream in = TapFirewall.class.getResourceAsStream(name)) {
                Files.write(file, in.readAllBytes());
            }
        }
        return file;
    }

    @Override
    public void close() throws Exception {
        try {
            if (service != null) {
                OnLoop.await(loop, () -> service.stop());
            }
            for (TapDevice tap : new TapDevice[] {clientsTap, uplinkTap}) {
                if (tap != null) {
                    OnLoop.await(loop, tap::close);
                }
            }
            loop.shutdown(Duration.ofSeconds(5));
        } finally {
            removeLeftovers();
        }
    }
}
