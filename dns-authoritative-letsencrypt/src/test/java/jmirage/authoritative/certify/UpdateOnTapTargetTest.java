package jmirage.authoritative.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import jmirage.authoritative.transfer.Knot;
import jmirage.core.LogLevel;
import jmirage.core.RecordingLog;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.core.net.IpAddresses;
import jmirage.dns.Rcode;
import jmirage.host.ConsoleLog;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.TapDevice;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.testkit.Command;
import jmirage.testkit.OnLoop;
import jmirage.testkit.Sh;
import jmirage.testkit.Started;
import jmirage.testkit.TapLink;
import jmirage.testkit.ZoneFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tap target: {@link UpdateZoneWriter} on platform/net's DirectStack over a TAP device with its
 * own address writes to Knot running in a network namespace on the TAP's Linux side; the change
 * shows in {@code kdig} there, and a key Knot does not allow to update is refused, typed. As root.
 */
@Tag("peer")
@Tag("root")
class UpdateOnTapTargetTest {

    static final TapLink LINK = TapLink.random("csec", "csecns", "10.87");

    static String kdigInNamespace(String name, String type) {
        return Command.of(LINK.exec("kdig", "@" + LINK.linuxIp(), "+short", "+time=2", name, type)).run().ok().out().trim();
    }

    @Test
    void theWritersUpdateReachesKnotOverTheTap(@TempDir Path dir) throws Exception {
        Sh.requireRootNetworking();
        Sh.requireCommand("knotd", "knot");
        Sh.requireCommand("kdig", "knot-dnsutils");
        Files.createDirectories(dir.resolve("storage"));
        Files.writeString(dir.resolve("prim.test.zone"), new ZoneFile("prim.test.", "60 10 3600 60").text(1, "www A 192.0.2.10"));
        Files.writeString(dir.resolve("knot.conf"), """
                server:
                    listen: %s@53
                    rundir: %s
                control:
                    listen: %s/knot.sock
                log:
                  - target: stderr
                    any: info
                database:
                    storage: %s/storage
                template:
                  - id: default
                    storage: %s/storage
                """.formatted(LINK.linuxIp(), dir, dir, dir, dir) + UpdateKnotInteropTest.knotConf(dir));
        LINK.create();
        HostScheduler loop = HostScheduler.start("update-tap");
        HostClock clock = new HostClock();
        HostRandom random = new HostRandom();
        RecordingLog log = ConsoleLog.create("writer", LogLevel.INFO, clock);
        try {
            TapDevice tap = TapDevice.open(LINK.tap(), Optional.empty(), loop, random, log).orElseThrow(e -> new IllegalStateException(e.describe()));
            LINK.adoptTap();
            DirectStack stack = OnLoop.await(loop, () -> DirectStack.start(tap, new Ipv4Config.Static(LINK.ourPrefix(), Optional.empty()),
                    clock, loop, random, log)).orElseThrow();
            try (Started knot = Command.of(LINK.exec("knotd", "-c", dir.resolve("knot.conf").toString())).start()) {
                Knot.waitFor(Duration.ofSeconds(20), () -> kdigInNamespace("www.prim.test", "A").equals("192.0.2.10"), "knotd answers in the namespace");
                Endpoint knotAt = new Endpoint(IpAddresses.parse(LINK.linuxIp()).orElseThrow(), 53);
                UpdateZoneWriter writer = new UpdateZoneWriter(stack, loop, clock, random, log, UpdateKnotInteropTest.ZONE, knotAt,
                        UpdateKnotInteropTest.UPDATE);
                assertEquals(Result.ok(), OnLoop.await(loop, () -> writer.send(List.of(), List.of(UpdateKnotInteropTest.CHALLENGE))));
                assertEquals("\"LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0\"", kdigInNamespace("_acme-challenge.www.prim.test", "TXT"));

                UpdateZoneWriter transferOnly = new UpdateZoneWriter(stack, loop, clock, random, log, UpdateKnotInteropTest.ZONE, knotAt,
                        UpdateKnotInteropTest.TRANSFER);
                assertEquals(Result.err(new UpdateError.KeyRejected(Rcode.NOTAUTH, Rcode.BADKEY)),
                        OnLoop.await(loop, () -> transferOnly.send(List.of(UpdateKnotInteropTest.CHALLENGE), List.of())));
                assertEquals(Result.ok(), OnLoop.await(loop, () -> writer.send(List.of(UpdateKnotInteropTest.CHALLENGE), List.of())));
                assertEquals("", kdigInNamespace("_acme-challenge.www.prim.test", "TXT"));
            } finally {
                OnLoop.await(loop, () -> stack.close().flatMap(u -> tap.close()));
            }
        } finally {
            loop.shutdown(Duration.ofSeconds(5));
            LINK.delete();
        }
    }
}
