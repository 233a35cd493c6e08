package jmirage.authoritative.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import jmirage.authoritative.transfer.Knot;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.net.Endpoint;
import jmirage.core.net.IpAddresses;
import jmirage.dns.Name;
import jmirage.dns.Rcode;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.tsig.TsigAlgorithm;
import jmirage.dns.tsig.TsigKey;
import jmirage.host.ConsoleLog;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import jmirage.testkit.Command;
import jmirage.testkit.OnLoop;
import jmirage.testkit.Sh;
import jmirage.testkit.ZoneFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link UpdateZoneWriter} against Knot as the primary, on the host target over loopback: Knot's ACL
 * lets one key update the zone; the writer's changes show in {@code kdig @knot} (so Knot accepted
 * them, and the writer verified Knot's signed answers), and a key Knot knows without the update
 * right, or a key it does not know, comes back as a typed refusal with nothing changed.
 */
@Tag("peer")
class UpdateKnotInteropTest {

    static final String ADDRESS = "127.17.4.1";
    static final int PORT = 22471;
    static final String UPDATE_SECRET = "Y2VydGlmeSB1cGRhdGUga2V5IGZvciBwcmltLnRlc3Q=";
    static final String TRANSFER_SECRET = "eGZyIGtleSBmb3IgcHJpbS50ZXN0LCBubyB1cGRhdGVz";
    static final Name ZONE = Name.of("prim.test.");
    static final TsigKey UPDATE = key("certify._update.prim.test.", UPDATE_SECRET);
    static final TsigKey TRANSFER = key("xfr._transfer.prim.test.", TRANSFER_SECRET);

    static final Record CHALLENGE = Record.in(Name.of("_acme-challenge.www.prim.test."), 60,
            new Rdata.Txt(List.of(Bytes.utf8("LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0"))));
    static final Bytes DER = Bytes.of(HexFormat.of().parseHex("3082" + "05dc" + "ab".repeat(1500)));
    static final Record CERT = Record.in(Name.of("_letsencrypt._tcp.www.prim.test."), 3600, new Rdata.Tlsa(3, 0, 0, DER));

    static TsigKey key(String name, String secret) {
        return new TsigKey(Name.of(name), TsigAlgorithm.HMAC_SHA256, Bytes.of(java.util.Base64.getDecoder().decode(secret)));
    }

    static String knotConf(Path dir) {
        return """
                key:
                  - id: certify._update.prim.test
                    algorithm: hmac-sha256
                    secret: %s
                  - id: xfr._transfer.prim.test
                    algorithm: hmac-sha256
                    secret: %s
                acl:
                  - id: certify
                    key: certify._update.prim.test
                    action: update
                  - id: xfr
                    key: xfr._transfer.prim.test
                    action: transfer
                zone:
                  - domain: prim.test
                    file: %s/prim.test.zone
                    acl: [certify, xfr]
                """.formatted(UPDATE_SECRET, TRANSFER_SECRET, dir);
    }

    static String kdig(String name, String type) throws Exception {
        return Command.of("kdig", "@" + ADDRESS, "-p", String.valueOf(PORT), "+short", "+time=2", name, type).run().ok().out().trim();
    }

    @Test
    void knotAppliesTheWritersChangesAndRefusesKeysWithoutTheRight(@TempDir Path dir) throws Exception {
        Sh.requireCommand("knotd", "knot");
        Sh.requireCommand("kdig", "knot-dnsutils");
        Files.writeString(dir.resolve("prim.test.zone"), new ZoneFile("prim.test.", "60 10 3600 60").text(1, "www A 192.0.2.10"));
        HostScheduler loop = HostScheduler.start("update-knot");
        HostClock clock = new HostClock();
        HostStack stack = HostStack.loopback(loop);
        Endpoint knotAt = new Endpoint(IpAddresses.parse(ADDRESS).orElseThrow(), PORT);
        try (Knot knot = new Knot(dir, ADDRESS, PORT, knotConf(dir))) {
            UpdateZoneWriter writer = new UpdateZoneWriter(stack, loop, clock, new HostRandom(),
                    ConsoleLog.create("writer", LogLevel.INFO, clock), ZONE, knotAt, UPDATE);

            Result<Unit, UpdateError> added = OnLoop.await(loop, () -> writer.send(List.of(), List.of(CHALLENGE, CERT)));
            assertEquals(Result.ok(), added, knot.log());
            assertEquals("\"LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0\"", kdig("_acme-challenge.www.prim.test", "TXT"));
            String tlsa = kdig("_letsencrypt._tcp.www.prim.test", "TLSA").replace(" ", "").toLowerCase();
            assertTrue(tlsa.startsWith("300" + DER.hex().substring(0, 40)), tlsa);
            assertTrue(kdig("prim.test", "SOA").contains(" 2 "), "Knot raised the serial: " + kdig("prim.test", "SOA"));

            Result<Unit, UpdateError> removed = OnLoop.await(loop, () -> writer.send(List.of(CHALLENGE), List.of()));
            assertEquals(Result.ok(), removed);
            assertEquals("", kdig("_acme-challenge.www.prim.test", "TXT"), "the challenge is gone");
            assertTrue(!kdig("_letsencrypt._tcp.www.prim.test", "TLSA").isEmpty(), "the certificate stays");

            // a key Knot knows, allowed only to transfer: Knot denies by its ACL, answering as for a key it
            // does not know (NOTAUTH, TSIG error BADKEY, unsigned), which the writer reports as such
            UpdateZoneWriter transferOnly = new UpdateZoneWriter(stack, loop, clock, new HostRandom(),
                    ConsoleLog.create("writer", LogLevel.INFO, clock), ZONE, knotAt, TRANSFER);
            assertEquals(Result.err(new UpdateError.KeyRejected(Rcode.NOTAUTH, Rcode.BADKEY)),
                    OnLoop.await(loop, () -> transferOnly.send(List.of(), List.of(CHALLENGE))));

            // a key Knot does not know: NOTAUTH with TSIG error BADKEY (RFC 8945 5.2.1)
            UpdateZoneWriter stranger = new UpdateZoneWriter(stack, loop, clock, new HostRandom(),
                    ConsoleLog.create("writer", LogLevel.INFO, clock), ZONE, knotAt, key("stranger._update.prim.test.", UPDATE_SECRET));
            assertEquals(Result.err(new UpdateError.KeyRejected(Rcode.NOTAUTH, Rcode.BADKEY)),
                    OnLoop.await(loop, () -> stranger.send(List.of(), List.of(CHALLENGE))));
            assertEquals("", kdig("_acme-challenge.www.prim.test", "TXT"), "nothing changed by the refused updates");
        } finally {
            OnLoop.await(loop, stack::close);
            loop.shutdown(java.time.Duration.ofSeconds(5));
        }
    }
}
