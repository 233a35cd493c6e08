package jmirage.authoritative.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jmirage.authoritative.PeerServers;
import jmirage.authoritative.PeerServers.Daemon;
import jmirage.authoritative.store.HostFixture;
import jmirage.authoritative.store.SampleZone;
import jmirage.authoritative.store.ZoneOptions;
import jmirage.authoritative.zone.Zone;
import jmirage.dns.Name;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import jmirage.testkit.Sh;

/** NSD as our secondary on loopback: it transfers the zone with TSIG, and our NOTIFY after an update brings the change. */
@Tag("peer")
class NsdSecondaryTest {

    static final int PORT = 22353;
    static final int NSD = 22354;

    static long nsdSerial() {
        try {
            Ran r = Command.of("kdig", "@127.0.0.1", "-p", String.valueOf(NSD), "+short", "+time=1", "+retry=0",
                    "example.test", "SOA").run();
            String[] f = r.output().trim().split("\\s+");
            return f.length >= 3 && f[2].matches("\\d+") ? Long.parseLong(f[2]) : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void nsdTransfersAndIsNotified(@TempDir Path dir) throws Exception {
        Sh.requireCommand("kdig", "knot-dnsutils");
        Sh.requireCommand("nsupdate", "bind9-dnsutils");
        String keysAndZones = """
                key:
                    name: test._transfer.example.test
                    algorithm: hmac-sha256
                    secret: "%s"
                zone:
                    name: example.test
                    zonefile: example.test.zone
                    request-xfr: 127.0.0.1@%d test._transfer.example.test
                    allow-notify: 127.0.0.1 NOKEY
                """.formatted(SampleZone.TEST_SECRET, PORT);
        ZoneOptions options = new ZoneOptions();
        options.notify.add("127.0.0.1:" + NSD);
        try (HostFixture f = new HostFixture("dnsz-nsd", dir.resolve("zones.git"), Map.of(), options, PORT)) {
            Zone sample = f.server.zones.zones().get(Name.of("example.test.")).orElseThrow();
            try (Daemon nsd = PeerServers.startNsd(dir.resolve("nsd"), NSD, keysAndZones)) {
                Knot.waitFor(Duration.ofSeconds(30), () -> nsdSerial() == sample.serial(), "nsd transfers the zone");
                Ran upd = Command.of(List.of("nsupdate", "-t", "5", "-y", "hmac-sha256:test._update.example.test:" + SampleZone.TEST_SECRET))
                        .stdin("server 127.0.0.1 " + PORT + "\nzone example.test\n"
                        + "update add fromnsd.example.test. 300 A 192.0.2.78\nsend\n").run();
                assertEquals(0, upd.exit(), upd.output());
                Knot.waitFor(Duration.ofSeconds(30), () -> nsdSerial() == sample.serial() + 1, "nsd is notified");
                assertEquals("192.0.2.78", Command.of("kdig", "@127.0.0.1", "-p", String.valueOf(NSD), "+short",
                        "fromnsd.example.test", "A").run().output().trim());
                assertTrue(f.logged("acknowledged by 127.0.0.1:" + NSD));
            }
        }
    }
}
