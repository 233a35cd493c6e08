package jmirage.authoritative.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.authoritative.store.HostFixture;
import jmirage.authoritative.store.SampleZone;
import jmirage.authoritative.store.ZoneOptions;
import jmirage.authoritative.store.ZoneServer;
import jmirage.host.TapDevice;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import jmirage.testkit.OnLoop;
import jmirage.testkit.Sh;
import jmirage.testkit.TapLink;

/**
 * The tap target: zone management on platform/net's DirectStack over a TAP device with its own
 * address; nsupdate and kdig run in a network namespace holding the Linux side. An update over UDP
 * and one over TCP each become a commit, and a signed AXFR brings them. As root.
 */
@Tag("peer")
@Tag("root")
class NsupdateOnTapTargetTest {

    static final TapLink LINK = TapLink.random("dnsz", "dnsz", "10.84");
    static final String KEY = "hmac-sha256:test._update.example.test:" + SampleZone.TEST_SECRET;

    static Ran inNamespace(String stdin, String... command) throws Exception {
        Command inside = Command.of(LINK.exec(command));
        return (stdin == null ? inside : inside.stdin(stdin)).run();
    }

    @Test
    void nsupdateAndAxfrOverTheTap(@TempDir Path dir) throws Exception {
        Sh.requireRootNetworking();
        Sh.requireCommand("nsupdate", "bind9-dnsutils");
        Sh.requireCommand("kdig", "knot-dnsutils");
        Sh.requireCommand("git", "git");
        LINK.create();
        try {
            Path repo = dir.resolve("zones.git");
            try (HostFixture f = new HostFixture("dnsz-tap", (scheduler, clock, random, log) -> {
                TapDevice tap = TapDevice.open(LINK.tap(), Optional.empty(), scheduler, random, log).orElseThrow(e -> new IllegalStateException(e.describe()));
                LINK.adoptTap();
                Ipv4Config config = new Ipv4Config.Static(LINK.ourPrefix(), Optional.empty());
                DirectStack stack = OnLoop.await(scheduler, () -> DirectStack.start(tap, config, clock, scheduler, random, log))
                        .orElseThrow();
                return new HostFixture.ClosingStack(stack, tap);
            }, repo, Map.of(), new ZoneOptions(), 53)) {
                Ran udp = inNamespace("server " + LINK.ourIp() + "\nzone example.test\nupdate add tap.example.test. 300 A 192.0.2.31\nsend\n",
                        "nsupdate", "-t", "5", "-y", KEY);
                assertEquals(0, udp.exit(), udp.output());
                Ran tcp = inNamespace("server " + LINK.ourIp() + "\nzone example.test\nupdate add tap.example.test. 300 A 192.0.2.32\nsend\n",
                        "nsupdate", "-v", "-t", "5", "-y", KEY);
                assertEquals(0, tcp.exit(), tcp.output());
                Ran axfr = inNamespace(null, "kdig", "@" + LINK.ourIp(), "+time=5", "-y",
                        "hmac-sha256:test._transfer.example.test:" + SampleZone.TEST_SECRET, "AXFR", "example.test");
                assertTrue(axfr.output().contains("192.0.2.31") && axfr.output().contains("192.0.2.32"), axfr.output());
                Ran log = Command.of("git", "-C", repo.toString(), "log", "--format=%s", "main").run();
                assertEquals(List.of("changed by test._update.example.test from " + LINK.linuxIp(),
                        "changed by test._update.example.test from " + LINK.linuxIp(), "sample zone"), log.output().lines().toList());
            }
        } finally {
            LINK.delete();
        }
    }
}
