package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import jmirage.core.LogLevel;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.host.HostClock;
import jmirage.host.HostScheduler;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import jmirage.testkit.Started;
import jmirage.testkit.TapLink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Networks by role on the tap target (decision 20, issue 20 part 1): a NAT router booted with
 * {@code --net private=TAP,ipv4=... --net uplink=TAP,ipv4=...,gateway=...} through the tap target's
 * own devices, between two network namespaces of Linux: a host behind it (10.31.N.2, default route
 * through the router's 10.31.N.1) and a server on the uplink (10.32.M.1, the router's gateway). The
 * host's ping, TCP and UDP reach the server from the router's uplink address; the server cannot reach
 * the host by routing its subnet to the router; an expiring datagram gets time exceeded from the
 * router's private address.
 */
@Tag("root")
class NetworksOnTapTargetTest {

    static final TapLink INSIDE = TapLink.random("rtp", "rtpriv", "10.31");
    static final TapLink UPLINK = TapLink.random("rtu", "rtupl", "10.32");
    static final String HOST = INSIDE.address(2);
    static final String ROUTER_INSIDE = INSIDE.address(1);
    static final String SERVER = UPLINK.linuxIp();
    static final String ROUTER_UPLINK = UPLINK.ourIp();

    static HostScheduler scheduler;
    static TapTarget.TapDevices devices;
    static NatRouter unikernel = new NatRouter();
    static MetricsEndpoint metrics;

    @BeforeAll
    static void boot() throws Exception {
        Sh.requireRootNetworking();
        Sh.requireCommand("ping", "iputils-ping");
        Sh.requireCommand("python3", "python3");
        Sh.requireCommand("ss", "iproute2");
        INSIDE.create();
        UPLINK.create();
        CommonParameters common = new CommonParameters();
        common.target = CommonParameters.Target.tap;
        common.tapCreate = true;
        common.logLevel = LogLevel.INFO;
        common.nets = List.of("private=" + INSIDE.tap() + ",ipv4=" + ROUTER_INSIDE + "/24",
                "uplink=" + UPLINK.tap() + ",ipv4=" + ROUTER_UPLINK + "/24,gateway=" + SERVER);
        TapTarget.Network network = TapTarget.parse(common).orElseThrow(e -> new IllegalStateException(e.describe()));
        scheduler = HostScheduler.start("nat-router");
        devices = new TapTarget.TapDevices(unikernel.name(), common, new HostClock(), scheduler, network);
        NatRouter.Devices claimed = unikernel.claim(devices);
        Result<Unikernel.Running, String> started = HostTarget.onLoop(scheduler, () -> unikernel.start(claimed, new NatRouter.Parameters()));
        assertTrue(started.isOk(), String.valueOf(started));
        metrics = MetricsEndpoint.open(new MetricsEndpoint.Listen(Optional.empty(), 9100), devices).orElseThrow();
        INSIDE.namespace().adoptTap(INSIDE.tap(), Optional.of(HOST + "/24"));
        INSIDE.namespace().ip("route", "add", "default", "via", ROUTER_INSIDE);
        UPLINK.adoptTap();
    }

    @AfterAll
    static void stop() throws Exception {
        if (metrics != null) {
            HostTarget.onLoop(scheduler, () -> metrics.close(scheduler));
        }
        if (devices != null) {
            HostTarget.onLoop(scheduler, () -> devices.closeNetwork());
            scheduler.shutdown(Duration.ofSeconds(5));
        }
        INSIDE.delete();
        UPLINK.delete();
    }

    static Ran in(TapLink link, String... command) {
        return Command.of(link.exec(command)).timeout(Duration.ofSeconds(20)).run();
    }

    /** A one-shot server in the uplink's namespace that answers each client with the address it sees. */
    static Started peerReporter(String kind, int port) throws InterruptedException {
        String script = switch (kind) {
            case "tcp" -> "import socket\ns=socket.socket()\ns.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\ns.bind(('%s',%d))\n"
                    + "s.listen()\nc,a=s.accept()\ndata=b''\nwhile True:\n  b=c.recv(65536)\n  if not b: break\n  data+=b\n"
                    + "import hashlib\nc.sendall((a[0]+' '+hashlib.sha256(data).hexdigest()).encode())\nc.close()\n";
            default -> "import socket\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\ns.bind(('%s',%d))\n"
                    + "d,a=s.recvfrom(2048)\ns.sendto(a[0].encode()+b' '+d,a)\n";
        };
        Started server = Command.of(UPLINK.exec("python3", "-c", script.formatted(SERVER, port))).timeout(Duration.ofSeconds(60)).start();
        awaitListening(kind, port);
        return server;
    }

    static void awaitListening(String kind, int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            String sockets = in(UPLINK, "ss", "-H", kind.equals("tcp") ? "-ltn" : "-lun").out();
            if (sockets.contains(SERVER + ":" + port)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + kind + " server on " + SERVER + ":" + port);
    }

    @Test
    void theHostPingsTheServerThroughTheNat() {
        Ran ping = in(INSIDE, "ping", "-c", "3", "-i", "0.2", "-W", "2", SERVER);
        assertEquals(0, ping.exit(), ping.out() + ping.err());
        assertTrue(ping.out().contains("3 received"), ping.out());
    }

    @Test
    void aTcpConnectionFromTheHostReachesTheServerFromTheUplinkAddressWithEveryByte() throws Exception {
        Started server = peerReporter("tcp", 8000);
        String client = "import socket,hashlib,os\nd=os.urandom(4<<20)\ns=socket.create_connection(('%s',8000))\ns.sendall(d)\n"
                + "s.shutdown(socket.SHUT_WR)\nr=b''\nwhile True:\n  b=s.recv(4096)\n  if not b: break\n  r+=b\n"
                + "print(r.decode()==('%s '+hashlib.sha256(d).hexdigest()), r.decode())\n";
        Ran ran = in(INSIDE, "python3", "-c", client.formatted(SERVER, ROUTER_UPLINK));
        server.stop();
        assertEquals(0, ran.exit(), ran.out() + ran.err());
        assertTrue(ran.out().startsWith("True " + ROUTER_UPLINK + " "), ran.out());
    }

    @Test
    void aUdpDatagramFromTheHostIsAnsweredThroughTheNat() throws Exception {
        Started server = peerReporter("udp", 5353);
        String client = "import socket\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\ns.settimeout(5)\n"
                + "s.sendto(b'hello',('%s',5353))\nprint(s.recvfrom(2048)[0].decode())\n";
        Ran ran = in(INSIDE, "python3", "-c", client.formatted(SERVER));
        server.stop();
        assertEquals(0, ran.exit(), ran.out() + ran.err());
        assertEquals(ROUTER_UPLINK + " hello", ran.out().strip());
    }

    @Test
    void theServerCannotReachTheHostByRoutingItsSubnetToTheRouter() {
        UPLINK.namespace().ip("route", "replace", INSIDE.subnet() + ".0/24", "via", ROUTER_UPLINK);
        Ran ping = in(UPLINK, "ping", "-c", "2", "-i", "0.2", "-W", "1", HOST);
        assertFalse(ping.out().contains(" 0% packet loss"), ping.out());
        assertTrue(unikernel.router.counters().dropped().getOrDefault("not translated", 0L) >= 1,
                String.valueOf(unikernel.router.counters()));
    }

    @Test
    void anExpiringDatagramGetsTimeExceededFromTheRoutersPrivateAddress() {
        Ran ping = in(INSIDE, "ping", "-c", "1", "-t", "1", "-W", "2", SERVER);
        assertTrue(ping.out().contains("From " + ROUTER_INSIDE) && ping.out().toLowerCase().contains("time to live exceeded"),
                ping.out());
    }

    @Test
    void metricsAreServedOnTheFirstNetGivenCountingEachTapAndTheRouter() {
        Ran scrape = in(INSIDE, "python3", "-c", "import urllib.request;print(urllib.request.urlopen('http://" + ROUTER_INSIDE
                + ":9100/metrics',timeout=5).read().decode())");
        assertEquals(0, scrape.exit(), scrape.out() + scrape.err());
        assertTrue(scrape.out().contains("device=\"" + INSIDE.tap() + "\"") && scrape.out().contains("device=\"" + UPLINK.tap() + "\""),
                scrape.out());
        assertTrue(scrape.out().contains("jmirage_router_datagrams_total{fate=\"delivered\"} ")
                && scrape.out().contains("jmirage_nat_mappings "), scrape.out());
    }

    @Test
    void theHostTargetRefusesNetAndTheHelpListsTheNetworks() {
        StringWriter err = new StringWriter();
        CommonParameters common = new CommonParameters();
        common.nets = List.of("uplink=tap0");
        assertEquals(Main.EXIT_USAGE, HostTarget.boot(unikernel, unikernel.parameters(), common, new PrintWriter(err, true)));
        assertTrue(err.toString().contains("nat-router: --net attaches a TAP interface"), err.toString());
        String help = ((BootCommandLine.Parsed.Help<?>) BootCommandLine.parse("run", unikernel, List.of("--help"))).text();
        assertTrue(help.contains("Networks nat-router claims"), help);
        assertTrue(help.contains("uplink=DEV,...") && help.contains("the hosts behind the NAT"), help);
        assertTrue(help.contains("--net=NAME=DEV") && help.contains("--tap-create") && !help.contains("--tap=DEV")
                && !help.contains("--listen"), help);
        assertEquals(new BootCommandLine.Parsed.UsageError<>("--net dmz: nat-router claims no network named 'dmz' (it claims uplink, private)"),
                BootCommandLine.parse("run", unikernel, List.of("--target", "tap", "--net", "dmz=tap0")));
    }
}
