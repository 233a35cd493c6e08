package jmirage.dhcpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import jmirage.testkit.Command;
import jmirage.testkit.NetNamespace;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import jmirage.testkit.Started;
import jmirage.testkit.TapLink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unikernel on the tap target (its own MAC and 10.82.N.1 on a TAP interface) against the DHCP
 * clients of Debian in a network namespace that holds the other end of the TAP: ISC dhclient,
 * busybox udhcpc and dhcpcd each get a lease with the configured router, DNS servers and domain,
 * renew it at T1 (unicast to the server) and release it; dhclient's INIT-REBOOT is ACKed; a static
 * host gets its fixed address. The clients' scripts are ours (in a temp folder) and write only
 * what they were told and the namespace's own address and routes: the host's files stay untouched.
 */
@Tag("peer")
@Tag("root")
class ClientsOnTapTest {

    static final TapLink LINK = TapLink.random("dhc", "dhcpd", "10.82");
    static final String TAP = LINK.tap();
    static final NetNamespace NS = LINK.namespace();
    static final String NET = LINK.subnet() + ".";
    static final String SERVER = NET + "1";
    static final String STATIC_MAC = "02:aa:bb:cc:dd:05";
    static final String CONF = "option domain-name \"retreat.test\";\n"
            + "default-lease-time 10;\nmax-lease-time 10;\n"
            + "subnet " + NET + "0 netmask 255.255.255.0 {\n"
            + "  option routers " + SERVER + ";\n"
            + "  option domain-name-servers " + SERVER + ", " + NET + "53;\n"
            + "  range " + NET + "100 " + NET + "150;\n"
            + "  host fixed { hardware ethernet " + STATIC_MAC + "; fixed-address " + NET + "5; }\n"
            + "}\n";

    @TempDir
    static Path dir;
    static TapServer server;

    @BeforeAll
    static void start() throws Exception {
        Sh.requireCommand("dhclient", "isc-dhcp-client");
        Sh.requireCommand("udhcpc", "udhcpc");
        Sh.requireCommand("dhcpcd", "dhcpcd-base");
        Sh.requireCommand("busybox", "busybox");
        Sh.requireRootNetworking();
        LINK.create();
        server = TapServer.boot(TAP, SERVER + "/24", dir.resolve("kv"), CONF, 8067);
        NS.adoptTap(TAP, Optional.empty());
        String script = """
                #!/bin/sh
                # Records what the DHCP client was told; applies it to the test's namespace only.
                d="%s"
                env | grep -E '^(reason|interface|new_ip_address|new_routers|new_domain_name_servers|new_domain_name|ip|router|dns|domain|mask)=' \\
                    | sort > "$d/.$CLIENT.$$" && mv "$d/.$CLIENT.$$" "$d/$CLIENT-${reason:-$1}.env"
                ip="${new_ip_address:-$ip}"; router="${new_routers:-$router}"
                case "${reason:-$1}" in
                  BOUND|RENEW|REBIND|REBOOT|bound|renew)
                    ip addr replace "$ip/24" dev "$interface" && ip route replace default via "${router%%%% *}" dev "$interface" ;;
                  RELEASE|EXPIRE|STOP|deconfig) ip addr flush dev "$interface" ;;
                esac
                exit 0
                """.formatted(dir);
        for (String client : new String[] {"dhclient", "udhcpc"}) {
            Path p = dir.resolve(client + ".sh");
            Files.writeString(p, script.replace("$CLIENT", client));
            p.toFile().setExecutable(true);
        }
        // dhcpcd configures the namespace itself; its script only records.
        Path dhcpcd = dir.resolve("dhcpcd.sh");
        Files.writeString(dhcpcd, "#!/bin/sh\nenv | grep -E '^(reason|new_ip_address|new_routers|new_domain_name_servers|new_domain_name)=' | sort > \""
                + dir + "/.dhcpcd.$$\" && mv \"" + dir + "/.dhcpcd.$$\" \"" + dir + "/dhcpcd-$reason.env\"\nexit 0\n");
        dhcpcd.toFile().setExecutable(true);
        Files.writeString(dir.resolve("dhcpcd.conf"), "option domain_name_servers, domain_name\nnoipv6rs\nnoipv4ll\nnoarp\nrelease\n");
        Files.writeString(dir.resolve("dhclient.conf"), "request subnet-mask, routers, domain-name-servers, domain-name;\n");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        LINK.delete(); // with any client a failed test left behind
        Files.deleteIfExists(Path.of("/var/lib/dhcpcd/" + TAP + ".lease"));
    }

    @BeforeEach
    void freshInterface() throws Exception {
        NS.ip("addr", "flush", "dev", TAP);
        Sh.quietly("ip", "-n", NS.name(), "route", "flush", "dev", TAP);
        Files.deleteIfExists(Path.of("/var/lib/dhcpcd/" + TAP + ".lease"));
    }

    private static void mac(String mac) throws Exception {
        NS.ip("link", "set", TAP, "address", mac);
    }

    private static Map<String, String> env(String name) throws Exception {
        Path p = dir.resolve(name + ".env");
        assertTrue(Files.exists(p), name + " was never called; have: " + String.join(" ", listing()));
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(p)) {
            int eq = line.indexOf('=');
            m.put(line.substring(0, eq), line.substring(eq + 1).replace("'", ""));
        }
        return m;
    }

    private static String[] listing() throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(x -> x.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    /** What the server's store says about {@code address}, read back as a restarted server would. */
    private static String storedLease(String address) throws Exception {
        jmirage.dhcpd.core.LeaseDb db = new jmirage.dhcpd.core.LeaseDb();
        jmirage.core.Log log = jmirage.host.ConsoleLog.create("check", jmirage.core.LogLevel.WARN, new jmirage.host.HostClock());
        TapServer.await(server.scheduler, () -> LeaseStore.load(server.kv, db, log, java.time.Instant.now())).orElseThrow();
        return db.at(Msg.ip(address)).map(jmirage.dhcpd.core.LeaseCodec::line).orElse("nothing");
    }

    private static String inNs(int timeout, String... command) throws Exception {
        return Command.of(NS.exec(command)).timeout(Duration.ofSeconds(timeout)).run().ok().out();
    }

    @Test
    void udhcpcGetsRenewsAndReleases() throws Exception {
        mac("02:aa:bb:cc:00:01");
        Path pid = dir.resolve("udhcpc.pid");
        // -R: release on exit. busybox renews no sooner than a minute, so the test asks with SIGUSR1.
        try (Started udhcpc = Command.of(NS.exec("udhcpc", "-i", TAP, "-f", "-R", "-t", "5", "-T", "1",
                "-p", pid.toString(), "-s", dir.resolve("udhcpc.sh").toString())).start()) {
            waitFor(dir.resolve("udhcpc-bound.env"));
            Map<String, String> bound = env("udhcpc-bound");
            assertEquals(SERVER, bound.get("router"));
            assertEquals(SERVER + " " + NET + "53", bound.get("dns"));
            assertEquals("retreat.test", bound.get("domain"));
            assertEquals("24", bound.get("mask"), "udhcpc gives the prefix length of option 1");
            String ip = bound.get("ip");
            assertTrue(ip.startsWith(NET), ip);
            Sh.ok("kill", "-USR1", Files.readString(pid).trim());
            waitFor(dir.resolve("udhcpc-renew.env"));
            assertEquals(ip, env("udhcpc-renew").get("ip"), "renewed the same address");
            Sh.ok("kill", "-TERM", Files.readString(pid).trim());
            Ran ended = udhcpc.waitFor(Duration.ofSeconds(10));
            assertFalse(ended.timedOut(), ended::describe);
            String log = ended.output();
            assertTrue(log.contains("sending renew to server " + SERVER), log);
            assertTrue(log.contains("unicasting a release of " + ip), log);
            assertTrue(storedLease(ip).contains(" FREE "), storedLease(ip));
        }
    }

    private static void waitFor(Path file) throws Exception {
        for (int i = 0; i < 100 && !Files.exists(file); i++) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(file), file + " never written; have: " + String.join(" ", listing()));
    }

    @Test
    void dhclientGetsRenewsRebootsAndReleases() throws Exception {
        mac("02:aa:bb:cc:00:02");
        String[] common = {"-sf", dir.resolve("dhclient.sh").toString(), "-lf", dir.resolve("dhclient.leases").toString(),
                "-pf", dir.resolve("dhclient.pid").toString(), "-cf", dir.resolve("dhclient.conf").toString(), TAP};
        inNs(30, concat(new String[] {"dhclient", "-4", "-1", "-v"}, common));
        Map<String, String> bound = env("dhclient-BOUND");
        String ip = bound.get("new_ip_address");
        assertEquals(SERVER, bound.get("new_routers"));
        assertEquals(SERVER + " " + NET + "53", bound.get("new_domain_name_servers"));
        assertEquals("retreat.test", bound.get("new_domain_name"));
        String routes = Command.of("ip", "-n", NS.name(), "route").timeout(Duration.ofSeconds(10)).run().ok().out();
        assertTrue(routes.contains("default via " + SERVER), routes);
        Thread.sleep(6500); // T1 = 5 s
        assertEquals(ip, env("dhclient-RENEW").get("new_ip_address"));
        // A restarted client asks for its address again (INIT-REBOOT, RFC 2131 4.3.2) and gets an ACK.
        Sh.ok("kill", Files.readString(dir.resolve("dhclient.pid")).trim());
        Thread.sleep(300);
        inNs(30, concat(new String[] {"dhclient", "-4", "-1", "-v"}, common));
        assertEquals(ip, env("dhclient-REBOOT").get("new_ip_address"));
        inNs(30, concat(new String[] {"dhclient", "-4", "-r", "-v"}, common));
        assertTrue(storedLease(ip).contains(" FREE "), storedLease(ip));
    }

    @Test
    void dhcpcdAsAStaticHostGetsItsFixedAddressAndTheLeasesPageShowsIt() throws Exception {
        mac(STATIC_MAC);
        Ran run = Command.of(NS.exec("timeout", "-s", "TERM", "8", "dhcpcd", "-4", "-B", "-d",
                "-f", dir.resolve("dhcpcd.conf").toString(), "-c", dir.resolve("dhcpcd.sh").toString(), "-t", "20", TAP)).timeout(Duration.ofSeconds(30)).run();
        String log = run.out() + run.err();
        Map<String, String> bound = env("dhcpcd-BOUND");
        assertEquals(NET + "5", bound.get("new_ip_address"), log);
        assertEquals(SERVER, bound.get("new_routers"));
        assertEquals(SERVER + " " + NET + "53", bound.get("new_domain_name_servers"));
        assertEquals("retreat.test", bound.get("new_domain_name"));
        assertEquals(NET + "5", env("dhcpcd-RENEW").get("new_ip_address"), log);
        assertTrue(log.contains("renewing lease of " + NET + "5"), log);
        assertTrue(storedLease(NET + "5").contains(" FREE "), "released on exit: " + storedLease(NET + "5"));

        // Now hold it again and read the page from inside the namespace.
        Files.writeString(dir.resolve("dhcpcd.conf"), "option domain_name_servers, domain_name\nnoipv6rs\nnoipv4ll\nnoarp\n");
        inNs(30, "dhcpcd", "-4", "-1", "-f", dir.resolve("dhcpcd.conf").toString(), "-c", dir.resolve("dhcpcd.sh").toString(), "-t", "20", TAP);
        String routes = Command.of("ip", "-n", NS.name(), "route").timeout(Duration.ofSeconds(10)).run().ok().out();
        assertTrue(routes.contains("default via " + SERVER), routes);
        String page = inNs(10, "busybox", "wget", "-q", "-O", "-", "http://" + SERVER + ":8067/leases.json");
        assertTrue(page.contains("\"address\":\"" + NET + "5\",\"hardware\":\"" + STATIC_MAC + "\",\"state\":\"BOUND\""), page);
        Sh.quietly("ip", "netns", "exec", NS.name(), "dhcpcd", "-x", TAP);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
