package jmirage.authoritative.secondary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import jmirage.authoritative.PeerServers;
import jmirage.authoritative.store.HostFixture;
import jmirage.authoritative.store.ZoneOptions;
import jmirage.authoritative.transfer.Knot;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.ZoneFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import jmirage.testkit.Sh;

/**
 * We are the secondary of a Knot primary on loopback: the zone comes over with TSIG, Knot's NOTIFY
 * after a change makes us fetch the new version, and after a restart with Knot gone the copy kept
 * in the git store is served.
 */
@Tag("peer")
class SecondaryInteropTest {

    static final int PORT = 22253;
    static final int KNOT = 22254;
    static final String SECRET = "c2Vjb25kYXJ5IHRlc3Qga2V5IGZvciBwcmltLnRlc3Q=";

    static final ZoneFile PRIM = new ZoneFile("prim.test.", "60 10 3600 60");

    static String zone(long serial, String www) {
        return PRIM.text(serial, "www A " + www + "\ntxt TXT \"from knot\"");
    }

    @Test
    void weFollowAKnotPrimaryAndKeepTheCopyAcrossRestarts(@TempDir Path dir) throws Exception {
        Sh.requireCommand("knotd", "knot");
        Sh.requireCommand("knotc", "knot");
        Sh.requireCommand("kdig", "knot-dnsutils");
        Sh.requireCommand("dig", "bind9-dnsutils");
        Sh.requireCommand("git", "git");
        Path knotDir = dir.resolve("knot");
        Files.createDirectories(knotDir);
        Files.writeString(knotDir.resolve("prim.test.zone"), zone(1, "192.0.2.10"));
        String knotConf = """
                key:
                  - id: xfr._transfer.prim.test
                    algorithm: hmac-sha256
                    secret: %s
                remote:
                  - id: us
                    address: 127.0.0.1@%d
                acl:
                  - id: xfr
                    key: xfr._transfer.prim.test
                    action: transfer
                zone:
                  - domain: prim.test
                    file: %s/prim.test.zone
                    notify: us
                    acl: xfr
                """.formatted(SECRET, PORT, knotDir);
        Path repo = dir.resolve("zones.git");
        Map<String, String> files = Map.of("_keys", "xfr._transfer.prim.test. DNSKEY 0 3 163 " + SECRET + "\n");
        ZoneOptions options = new ZoneOptions();
        options.secondaries.add("prim.test@127.0.0.1:" + KNOT + "#xfr._transfer.prim.test");
        try (Knot knot = new Knot(knotDir, KNOT, knotConf)) {
            try (HostFixture f = new HostFixture("dnsz-secondary", repo, files, options, PORT)) {
                Knot.waitFor(Duration.ofSeconds(20), () -> PeerServers.digA(PORT, "www.prim.test").equals("192.0.2.10"), "the first transfer");
                assertTrue(f.logged("secondary prim.test.: serial 1 from 127.0.0.1:" + KNOT + " (AXFR)"));

                Files.writeString(knotDir.resolve("prim.test.zone"), zone(2, "192.0.2.11"));
                Ran reload = knot.knotc("zone-reload", "prim.test");
                assertEquals(0, reload.exit(), reload.output());
                Knot.waitFor(Duration.ofSeconds(20), () -> PeerServers.digA(PORT, "www.prim.test").equals("192.0.2.11"),
                        "knot's NOTIFY and the second transfer");
                assertTrue(f.logged("notify for prim.test. from 127.0.0.1"), "it came by NOTIFY");
                assertTrue(f.logged("secondary prim.test.: serial 2 from 127.0.0.1:" + KNOT));
            }
        }
        Ran stored = Command.of("git", "-C", repo.toString(), "show", "main:_secondary/prim.test").run();
        assertEquals(0, stored.exit(), stored.output());
        assertTrue(stored.output().contains("192.0.2.11"), stored.output());
        // Knot is gone: the copy from the store answers
        try (HostFixture again = new HostFixture("dnsz-secondary2", repo, Map.of(), options, PORT)) {
            assertEquals("192.0.2.11", PeerServers.digA(PORT, "www.prim.test"));
            assertTrue(again.logged("secondary zone prim.test. from the stored copy, serial 2"));
        }
    }
}
