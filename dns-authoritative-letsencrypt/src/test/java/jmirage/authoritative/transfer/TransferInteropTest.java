package jmirage.authoritative.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

/**
 * Zone transfers with real peers on loopback: kdig AXFR and IXFR with the TSIG key (refused
 * without), and Knot as our secondary: it transfers the zone, and after an nsupdate our NOTIFY makes
 * it fetch the change (by IXFR from our journal).
 */
@Tag("peer")
class TransferInteropTest {

    static final int PORT = 22153;
    static final int KNOT = 22154;
    static final String KEY = "hmac-sha256:test._transfer.example.test:" + SampleZone.TEST_SECRET;
    static final String UPDATE_KEY = "hmac-sha256:test._update.example.test:" + SampleZone.TEST_SECRET;

    static Ran kdig(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("kdig", "@127.0.0.1", "-p", String.valueOf(PORT), "+time=5",
                "+retry=0"));
        cmd.addAll(List.of(args));
        return Command.of(cmd).run();
    }

    static long knotSerial() throws Exception {
        Ran r = Command.of("kdig", "@127.0.0.1", "-p", String.valueOf(KNOT), "+short", "+time=1", "+retry=0",
                "example.test", "SOA").run();
        String[] f = r.output().trim().split("\\s+");
        return f.length >= 3 && r.exit() == 0 && f[2].matches("\\d+") ? Long.parseLong(f[2]) : -1;
    }

    @Test
    void kdigTransfersWithTheKeyOnlyAndKnotFollowsOurChanges(@TempDir Path dir) throws Exception {
        Sh.requireCommand("kdig", "knot-dnsutils");
        Sh.requireCommand("knotd", "knot");
        Sh.requireCommand("nsupdate", "bind9-dnsutils");
        ZoneOptions options = new ZoneOptions();
        options.notify.add("127.0.0.1:" + KNOT);
        try (HostFixture f = new HostFixture("dnsz-xfr", dir.resolve("zones.git"), Map.of(), options, PORT)) {
            Zone sample = f.server.zones.zones().get(Name.of("example.test.")).orElseThrow();

            Ran axfr = kdig("-y", KEY, "AXFR", "example.test");
            assertEquals(0, axfr.exit(), axfr.output());
            long records = axfr.output().lines().filter(l -> l.contains("\tIN\t")).count();
            assertEquals(sample.records().size() + 1, records, axfr.output());
            assertTrue(axfr.output().contains("TSIG") || axfr.output().contains("tsig"), axfr.output());
            assertTrue(axfr.output().contains("_sip._tcp.example.test."));

            Ran unsigned = kdig("AXFR", "example.test");
            assertTrue(unsigned.output().contains("REFUSED"), unsigned.output());
            assertFalse(unsigned.output().contains("192.0.2.80"));
            Ran wrong = kdig("-y", "hmac-sha256:test._transfer.example.test:c2Vjb25kIHNlY3JldCBmb3IgdGhlIHRlc3Qga2V5cw==",
                    "AXFR", "example.test");
            assertFalse(wrong.output().contains("192.0.2.80"), wrong.output());
            assertTrue(wrong.output().contains("NOTAUTH") || wrong.output().contains("BADSIG"), wrong.output());

            // Knot as our secondary, with the transfer key and notifies from us
            String knotConf = """
                    key:
                      - id: test._transfer.example.test
                        algorithm: hmac-sha256
                        secret: %s
                    remote:
                      - id: us
                        address: 127.0.0.1@%d
                        key: test._transfer.example.test
                    acl:
                      - id: notify-from-us
                        address: 127.0.0.1
                        action: notify
                    zone:
                      - domain: example.test
                        master: us
                        acl: notify-from-us
                    """.formatted(SampleZone.TEST_SECRET, PORT);
            try (Knot knot = new Knot(dir.resolve("knot"), KNOT, knotConf)) {
                Knot.waitFor(Duration.ofSeconds(20), () -> quietly(TransferInteropTest::knotSerial) == sample.serial(),
                        "knot transfers serial " + sample.serial());
                Ran upd = Command.of(List.of("nsupdate", "-t", "5", "-y", UPDATE_KEY))
                        .stdin("server 127.0.0.1 " + PORT + "\nzone example.test\n"
                        + "update add fromknot.example.test. 300 A 192.0.2.77\nsend\n").run();
                assertEquals(0, upd.exit(), upd.output());
                Knot.waitFor(Duration.ofSeconds(20), () -> quietly(TransferInteropTest::knotSerial) == sample.serial() + 1,
                        "knot is notified and fetches serial " + (sample.serial() + 1));
                Ran fromKnot = Command.of("kdig", "@127.0.0.1", "-p", String.valueOf(KNOT), "+short",
                        "fromknot.example.test", "A").run();
                assertEquals("192.0.2.77", fromKnot.output().trim());
                assertTrue(f.logged("acknowledged by 127.0.0.1:" + KNOT), "knot answered our NOTIFY");
                assertTrue(f.logged("IXFR example.test. 2026010101 -> 2026010102"), knot.log());

                // kdig IXFR from the first serial: the difference, signed
                Ran ixfr = kdig("-y", KEY, "IXFR=" + sample.serial(), "example.test");
                assertEquals(0, ixfr.exit(), ixfr.output());
                assertTrue(ixfr.output().contains("fromknot.example.test."), ixfr.output());
                assertFalse(ixfr.output().contains("_sip._tcp"), "an increment, not the whole zone: " + ixfr.output());
            }
        }
    }

    interface Check {
        long get() throws Exception;
    }

    static long quietly(Check c) {
        try {
            return c.get();
        } catch (Exception e) {
            return -1;
        }
    }
}
