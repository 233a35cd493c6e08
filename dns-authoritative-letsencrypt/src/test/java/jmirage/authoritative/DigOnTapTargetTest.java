package jmirage.authoritative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jmirage.authoritative.zone.RRset;
import jmirage.dns.Record;
import jmirage.host.TapDevice;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.testkit.Command;
import jmirage.testkit.OnLoop;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import jmirage.testkit.TapLink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The same unikernel on the tap target: platform/net's DirectStack on a TAP device with its own MAC
 * and 10.83.N.2; dig and kdig run in a network namespace holding the Linux side of the TAP
 * (10.83.N.1) and get every RRset of the test zone over UDP and TCP. As root.
 */
@Tag("peer")
@Tag("root")
class DigOnTapTargetTest {

    private static final TapLink LINK = TapLink.random("dnsa", "dnsa", "10.83");
    private static final int PORT = 53;
    private static final List<RRset> SETS = DigQueries.authoritativeSets(TestZones.zone());

    private static Harness server;
    private static TapDevice tap;

    @BeforeAll
    static void start() throws Exception {
        Sh.requireCommand("dig", "bind9-dnsutils");
        Sh.requireCommand("kdig", "knot-dnsutils");
        Sh.requireRootNetworking();
        LINK.create();
        server = Harness.start((scheduler, clock, random, log) -> {
            tap = TapDevice.open(LINK.tap(), Optional.empty(), scheduler, random, log).orElseThrow(e -> new IllegalStateException(e.describe()));
            LINK.adoptTap();
            Ipv4Config config = new Ipv4Config.Static(LINK.ourPrefix(), Optional.empty());
            return OnLoop.await(scheduler, () -> DirectStack.start(tap, config, clock, scheduler, random, log)).orElseThrow();
        }, PORT, Map.of("example.test", TestZones.text()));
        server.closers.add(tap::close);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (server != null) {
                server.close(); // the stack first (its last segments go out on the TAP), then the TAP
            }
        } finally {
            LINK.delete();
        }
    }

    private static Ran inNamespace(List<String> command) throws Exception {
        Ran run = Command.of(LINK.exec(command)).run();
        assertEquals(0, run.exit(), () -> run.err() + run.out());
        return run;
    }

    private static Set<Record> ask(String tool, List<String> options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(tool, "@" + LINK.ourIp(), "-p", String.valueOf(PORT), "+norec", "+noall",
                "+answer", tool.equals("dig") ? "+unknownformat" : "+generic", "+time=5"));
        cmd.addAll(options);
        List<String> args = DigQueries.arguments(SETS);
        for (int i = 0; i < args.size(); i += 2) {
            cmd.add(args.get(i));
            cmd.add(args.get(i + 1));
            if (tool.equals("dig")) {
                cmd.addAll(options); // dig's options are per query
            }
        }
        return DigQueries.parse(inNamespace(cmd).out());
    }

    @Test
    void digOverUdpAndTcp() throws Exception {
        assertEquals(DigQueries.records(SETS), ask("dig", List.of()));
        assertEquals(DigQueries.records(SETS), ask("dig", List.of("+tcp")));
    }

    @Test
    void kdigOverUdpAndTcp() throws Exception {
        assertEquals(DigQueries.records(SETS), ask("kdig", List.of()));
        assertEquals(DigQueries.records(SETS), ask("kdig", List.of("+tcp")));
    }

    @Test
    void aTruncatedAnswerFallsBackToTcp() throws Exception {
        Ran run = inNamespace(List.of("dig", "@" + LINK.ourIp(), "+norec", "+noedns", "long.example.test.", "TXT"));
        assertTrue(run.out().contains("Truncated, retrying in TCP mode") && run.out().contains("ccccc"), run.out());
    }
}
