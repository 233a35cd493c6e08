package jmirage.dhcpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import jmirage.core.net.MacAddress;
import jmirage.dhcpd.core.ClientKey;
import jmirage.dhcpd.core.Dhcid;
import jmirage.dns.Name;
import jmirage.testkit.Command;
import jmirage.testkit.KnotConfig;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import jmirage.testkit.Started;
import jmirage.testkit.TapLink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dynamic DNS against a real primary: the unikernel on the tap target (10.46.N.2) and Knot DNS
 * (knotd, accepting updates signed with the TSIG key {@code dhcp-updater}) on the Linux end of the
 * TAP (10.46.N.1) in a namespace of the test's. ISC dhclient sends host name "alice" (option 12):
 * the server's updates put alice.retreat.lan's A and DHCID and the address's PTR in Knot's zones,
 * read back with dig; a name that another machine holds in the zone (bob, added with nsupdate
 * before) is left alone when busybox udhcpc asks for it (option 81); dhclient's RELEASE takes
 * alice's records out again.
 */
@Tag("peer")
@Tag("root")
class DdnsKnotTapTest {

    static final TapLink LINK = TapLink.random("tddns", "ddns", "10.46");
    static final String SECRET = "ZGhjcC11cGRhdGVyIHRlc3Qga2V5LCAzMiBieXRlcyE=";
    static final String KNOT = LINK.linuxIp();
    static final String REVERSE = LINK.subnet().split("\\.")[2] + ".46.10.in-addr.arpa";
    /** One MAC for both clients: changing it would leave the unikernel's ARP entry for knotd stale. */
    static final String MAC = "02:aa:bb:cc:dd:a1";
    static final String CONF = """
            ddns-update-style standard;
            ddns-domainname "retreat.lan";
            ddns-rev-domainname "in-addr.arpa";
            ddns-ttl 300;
            key dhcp-updater {
              algorithm hmac-sha256;
              secret "%s";
            };
            zone retreat.lan. { primary %s; key dhcp-updater; }
            zone %s. { primary %s; key dhcp-updater; }
            default-lease-time 600;
            subnet %s.0 netmask 255.255.255.0 {
              range %s.100 %s.150;
            }
            """.formatted(SECRET, KNOT, REVERSE, KNOT, LINK.subnet(), LINK.subnet(), LINK.subnet());

    @TempDir
    static Path dir;
    static TapServer server;
    static Started knot;

    @BeforeAll
    static void start() throws Exception {
        Sh.requireCommand("knotd", "knot");
        Sh.requireCommand("dig", "bind9-dnsutils");
        Sh.requireCommand("nsupdate", "bind9-dnsutils");
        Sh.requireCommand("dhclient", "isc-dhcp-client");
        Sh.requireCommand("udhcpc", "udhcpc");
        Sh.requireRootNetworking();
        LINK.create();
        server = TapServer.boot(LINK.tap(), LINK.ourIp() + "/24", dir.resolve("kv"), CONF, 0);
        LINK.adoptTap();
        LINK.namespace().ip("link", "set", LINK.tap(), "address", MAC);
        Path k = Files.createDirectories(dir.resolve("knot"));
        Files.createDirectories(k.resolve("storage"));
        Files.writeString(k.resolve("retreat.lan.zone"), """
                $ORIGIN retreat.lan.
                $TTL 300
                @    SOA ns hostmaster 1 3600 900 604800 300
                @    NS  ns
                ns   A   %s
                """.formatted(KNOT));
        Files.writeString(k.resolve("reverse.zone"), """
                $ORIGIN %s.
                $TTL 300
                @    SOA ns.retreat.lan. hostmaster.retreat.lan. 1 3600 900 604800 300
                @    NS  ns.retreat.lan.
                """.formatted(REVERSE));
        Map<String, Path> zones = new LinkedHashMap<>();
        zones.put("retreat.lan", k.resolve("retreat.lan.zone"));
        zones.put(REVERSE, k.resolve("reverse.zone"));
        Files.writeString(k.resolve("knot.conf"), KnotConfig.updatable(KNOT, 53, k, "dhcp-updater", SECRET, zones));
        knot = Command.of(LINK.exec("knotd", "-c", k.resolve("knot.conf").toString())).start();
        waitFor(() -> dig("SOA", "retreat.lan").contains("hostmaster"), "knotd answers");
        // A record only: the namespace keeps 10.46.N.1 for knotd, whatever the clients are told.
        String script = "#!/bin/sh\nenv | sort > \"" + dir + "/$(basename \"$0\" .sh)-${reason:-$1}.env\"\nexit 0\n";
        for (String client : new String[] {"dhclient", "udhcpc"}) {
            Path p = dir.resolve(client + ".sh");
            Files.writeString(p, script);
            p.toFile().setExecutable(true);
        }
        Files.writeString(dir.resolve("dhclient.conf"), "send host-name \"alice\";\nrequest subnet-mask;\n");
    }

    @AfterAll
    static void stop() throws Exception {
        if (knot != null) {
            knot.stop();
        }
        if (server != null) {
            server.close();
        }
        LINK.delete();
    }

    static String dig(String type, String name) {
        Ran ran = Command.of(LINK.exec("dig", "@" + KNOT, "+tcp", "+short", "+time=2", "+tries=1", name, type))
                .timeout(Duration.ofSeconds(10)).run();
        return ran.out().trim();
    }

    static void waitFor(Supplier<Boolean> condition, String what) throws Exception {
        Instant end = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(end)) {
            if (condition.get()) {
                return;
            }
            Thread.sleep(200);
        }
        assertTrue(condition.get(), "waited 20 s for: " + what + (knot == null ? "" : "\nknotd: " + knot.err()));
    }

    static String inNs(String... command) {
        return Command.of(LINK.exec(command)).timeout(Duration.ofSeconds(30)).run().ok().out();
    }

    @Test
    void aClientsNameGoesIntoTheZoneWithItsPtrAndDhcidAndLeavesOnRelease() throws Exception {
        String[] common = {"-sf", dir.resolve("dhclient.sh").toString(), "-lf", dir.resolve("dhclient.leases").toString(),
                "-pf", dir.resolve("dhclient.pid").toString(), "-cf", dir.resolve("dhclient.conf").toString(), LINK.tap()};
        inNs(concat(new String[] {"dhclient", "-4", "-1", "-v"}, common));
        String ip = Files.readAllLines(dir.resolve("dhclient-BOUND.env")).stream().filter(l -> l.startsWith("new_ip_address="))
                .map(l -> l.substring("new_ip_address=".length())).findFirst().orElseThrow();
        waitFor(() -> dig("A", "alice.retreat.lan").equals(ip), "alice.retreat.lan A " + ip);
        waitFor(() -> dig("PTR", reverse(ip)).equals("alice.retreat.lan."), "the PTR of " + ip);
        MacAddress mac = MacAddress.parse(MAC).orElseThrow();
        String dhcid = Base64.getEncoder().encodeToString(
                Dhcid.of(ClientKey.ofMac(mac), mac, Name.of("alice.retreat.lan.")).toArray());
        assertEquals(dhcid, dig("DHCID", "alice.retreat.lan").replace(" ", ""), "RFC 4701: SHA-256 of the hardware address and name");

        inNs(concat(new String[] {"dhclient", "-4", "-r", "-v"}, common));
        waitFor(() -> dig("A", "alice.retreat.lan").isEmpty(), "alice.retreat.lan A removed after the release");
        waitFor(() -> dig("PTR", reverse(ip)).isEmpty(), "the PTR removed");
        assertEquals("", dig("DHCID", "alice.retreat.lan"));
    }

    @Test
    void aNameAnotherMachineHoldsIsLeftAlone() throws Exception {
        Ran added = Command.of(LINK.exec("nsupdate", "-y", "hmac-sha256:dhcp-updater:" + SECRET))
                .stdin("server " + KNOT + "\nzone retreat.lan\nupdate add bob.retreat.lan. 300 A 10.46.0.99\nsend\n").run();
        assertEquals(0, added.exit(), added::output);
        // -F: the Client FQDN option (81) with "bob"; -C: no client identifier; -q: quit once bound
        inNs("udhcpc", "-i", LINK.tap(), "-f", "-q", "-n", "-C", "-t", "5", "-T", "1", "-F", "bob", "-s",
                dir.resolve("udhcpc.sh").toString());
        assertTrue(Files.exists(dir.resolve("udhcpc-bound.env")));
        waitFor(() -> ddnsUpdates("conflict") == 1, "the conflict counted");
        assertEquals("10.46.0.99", dig("A", "bob.retreat.lan"), "the other machine's name keeps its address");
        assertEquals("", dig("DHCID", "bob.retreat.lan"));
    }

    /** {@code jmirage_dhcp_ddns_updates_total{result}} of the server. */
    private static double ddnsUpdates(String result) {
        return server.metrics.collect().stream().filter(f -> f.name().equals("jmirage_dhcp_ddns_updates_total"))
                .flatMap(f -> f.samples().stream()).filter(x -> x.labels().getFirst().value().equals(result))
                .mapToDouble(x -> x.value()).sum();
    }

    private static String reverse(String ip) {
        String[] o = ip.split("\\.");
        return o[3] + "." + o[2] + "." + o[1] + "." + o[0] + ".in-addr.arpa";
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
