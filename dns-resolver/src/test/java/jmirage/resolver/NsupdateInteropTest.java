package jmirage.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jmirage.core.kv.Key;
import jmirage.testkit.Command;
import jmirage.testkit.OnLoop;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BIND's nsupdate changing the resolver's local zones by TSIG-signed RFC 2136 updates, over UDP (its
 * default) and TCP, as a DHCP server does for its leases, with dig reading the names back: the
 * resolver on the host target, in-process on loopback, with a forward and a reverse local zone and
 * the key tsig-keygen prints.
 */
@Tag("peer")
class NsupdateInteropTest {

    static final int PORT = 22054;
    static final String SECRET = "3q2+7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    static final String KEY = "key \"dhcp._update.\" {\n\talgorithm hmac-sha256;\n\tsecret \"" + SECRET + "\";\n};\n";
    private static ResolverHarness resolver;

    @TempDir
    static Path folder;

    @BeforeAll
    static void start() throws Exception {
        Sh.requireCommand("nsupdate", "bind9-dnsutils");
        Sh.requireCommand("dig", "bind9-dnsutils");
        DnsResolver.Parameters p = new DnsResolver.Parameters();
        p.port = PORT;
        p.rateLimit = 0;
        p.policy.localZones.addAll(List.of("zones/retreat.lan", "zones/77.10.in-addr.arpa"));
        p.policy.updateKeys.add("update-keys");
        resolver = ResolverHarness.start(ResolverHarness::loopback, Map.of(
                "zones/retreat.lan", """
                        $TTL 300
                        @   SOA ns hostmaster 1 3600 600 86400 300
                            NS  ns
                        ns  A   10.77.0.1
                        """,
                "zones/77.10.in-addr.arpa", """
                        $TTL 300
                        @   SOA ns.retreat.lan. hostmaster.retreat.lan. 1 3600 600 86400 300
                            NS  ns.retreat.lan.
                        """,
                "update-keys", KEY), p);
        Files.writeString(folder.resolve("dhcp.key"), KEY);
        Files.writeString(folder.resolve("wrong.key"), KEY.replace(SECRET, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
    }

    @AfterAll
    static void stop() throws Exception {
        if (resolver != null) {
            resolver.close();
        }
    }

    static Ran nsupdate(String key, boolean tcp, String... lines) {
        List<String> cmd = new ArrayList<>(List.of("nsupdate", "-k", folder.resolve(key).toString()));
        if (tcp) {
            cmd.add("-v");
        }
        String script = "server 127.0.0.1 " + PORT + "\n" + String.join("\n", lines) + "\nsend\n";
        return Command.of(cmd).stdin(script.getBytes(java.nio.charset.StandardCharsets.UTF_8)).run();
    }

    static String dig(String... args) {
        List<String> cmd = new ArrayList<>(List.of("dig", "@127.0.0.1", "-p", String.valueOf(PORT), "+time=5", "+tries=1"));
        cmd.addAll(List.of(args));
        Ran run = Command.of(cmd).run();
        assertEquals(0, run.exit(), run.output());
        return run.out();
    }

    @Test
    void aLeaseNamedAndUnnamedThroughNsupdateOverUdpAndTcp() throws Exception {
        Ran add = nsupdate("dhcp.key", false, "zone retreat.lan", "update add alice.retreat.lan 300 A 10.77.0.100");
        assertEquals(0, add.exit(), add.output());
        Ran ptr = nsupdate("dhcp.key", true, "zone 77.10.in-addr.arpa", "update add 100.0.77.10.in-addr.arpa 300 PTR alice.retreat.lan.");
        assertEquals(0, ptr.exit(), ptr.output());

        String a = dig("alice.retreat.lan", "A");
        assertTrue(a.contains("status: NOERROR") && a.contains("flags: qr aa rd ra;"), a);
        assertTrue(a.matches("(?s).*alice\\.retreat\\.lan\\.\\s+300\\s+IN\\s+A\\s+10\\.77\\.0\\.100.*"), a);
        String norec = dig("+norec", "alice.retreat.lan", "A");
        assertTrue(norec.contains("status: NOERROR") && norec.contains("flags: qr aa ra;") && norec.contains("10.77.0.100"),
                "local data answers a query with RD clear, as Unbound's allow does: " + norec);
        String reverse = dig("-x", "10.77.0.100");
        assertTrue(reverse.contains("PTR\talice.retreat.lan."), reverse);
        String soa = dig("+short", "retreat.lan", "SOA");
        assertTrue(soa.contains(" 2 3600 600 86400 300"), "one update, one serial more: " + soa);
        String stored = OnLoop.await(resolver.scheduler, () -> resolver.kv.get(Key.of("zones/retreat.lan"))).orElseThrow().toUtf8();
        assertTrue(stored.contains("10.77.0.100"), stored);

        Ran delete = nsupdate("dhcp.key", false, "zone retreat.lan", "update delete alice.retreat.lan A");
        assertEquals(0, delete.exit(), delete.output());
        assertTrue(dig("alice.retreat.lan", "A").contains("status: NXDOMAIN"));
    }

    @Test
    void aWrongSecretIsRefusedAndChangesNothing() {
        Ran wrong = nsupdate("wrong.key", false, "zone retreat.lan", "update add mallory.retreat.lan 300 A 10.77.0.66");
        assertFalse(wrong.exit() == 0, wrong.output());
        assertTrue(wrong.output().contains("NOTAUTH") || wrong.output().contains("BADSIG"), wrong.output());
        assertTrue(dig("mallory.retreat.lan", "A").contains("status: NXDOMAIN"));
    }
}
