package jmirage.authoritative.secondary;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import jmirage.authoritative.PeerServers;
import jmirage.authoritative.PeerServers.Daemon;
import jmirage.authoritative.store.HostFixture;
import jmirage.authoritative.store.ZoneOptions;
import jmirage.authoritative.transfer.Knot;
import jmirage.testkit.Command;
import jmirage.testkit.ZoneFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import jmirage.testkit.Sh;

/**
 * We are the secondary of an NSD primary (which answers our IXFR in AXFR form): the zone comes over
 * with TSIG, and after NSD reloads a changed zone file (SIGHUP) its NOTIFY brings the new version.
 */
@Tag("peer")
class NsdPrimaryTest {

    static final int PORT = 22453;
    static final int NSD = 22454;
    static final String SECRET = "bnNkIHByaW1hcnkga2V5IGZvciB0aGUgc2Vjb25kYXJ5";

    static final ZoneFile NSDPRIM = new ZoneFile("nsdprim.test.", "60 10 3600 60");

    @Test
    void weFollowAnNsdPrimary(@TempDir Path dir) throws Exception {
        Sh.requireCommand("dig", "bind9-dnsutils");
        Path nsdDir = dir.resolve("nsd");
        Files.createDirectories(nsdDir);
        Files.writeString(nsdDir.resolve("nsdprim.test.zone"), NSDPRIM.text(1, "www A 192.0.2.20"));
        ZoneOptions options = new ZoneOptions();
        options.secondaries.add("nsdprim.test@127.0.0.1:" + NSD + "#xfr._transfer.nsdprim.test");
        try (Daemon nsd = PeerServers.startNsd(nsdDir, NSD, """
                key:
                    name: xfr._transfer.nsdprim.test
                    algorithm: hmac-sha256
                    secret: "%s"
                zone:
                    name: nsdprim.test
                    zonefile: nsdprim.test.zone
                    provide-xfr: 127.0.0.1 xfr._transfer.nsdprim.test
                    notify: 127.0.0.1@%d NOKEY
                """.formatted(SECRET, PORT));
                HostFixture f = new HostFixture("dnsz-nsdprim", dir.resolve("zones.git"),
                        Map.of("_keys", "xfr._transfer.nsdprim.test. DNSKEY 0 3 163 " + SECRET + "\n"), options, PORT)) {
            Knot.waitFor(Duration.ofSeconds(30), () -> PeerServers.digA(PORT, "www.nsdprim.test").equals("192.0.2.20"), "the first transfer");
            Files.writeString(nsdDir.resolve("nsdprim.test.zone"), NSDPRIM.text(2, "www A 192.0.2.21"));
            Command.of("kill", "-HUP", String.valueOf(nsd.process().pid())).run();
            Knot.waitFor(Duration.ofSeconds(30), () -> PeerServers.digA(PORT, "www.nsdprim.test").equals("192.0.2.21"),
                    "NSD's NOTIFY and the second transfer");
            assertTrue(f.logged("notify for nsdprim.test. from 127.0.0.1"), "it came by NOTIFY");
        }
    }
}
