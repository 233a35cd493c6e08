package jmirage.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * The resolver on the tap target: platform/net's DirectStack on a TAP device at 10.84.N.2, a
 * scripted core, {@code --allow 10.84.N.1/32}. dig and kdig in a network namespace holding the
 * Linux side of the TAP get answers over UDP, TCP, DNS over TLS and over HTTPS from .1; from a second address
 * of the namespace (.3), not allowed, they get REFUSED with EDE 18 (Prohibited). As root.
 */
@Tag("peer")
@Tag("root")
class DigOnTapTargetTest {

    private static final TapLink LINK = TapLink.random("dnsr", "dnsr", "10.84");

    private static ResolverHarness resolver;
    private static TapDevice tap;

    @BeforeAll
    static void start() throws Exception {
        Sh.requireCommand("dig", "bind9-dnsutils");
        Sh.requireCommand("kdig", "knot-dnsutils");
        Sh.requireCommand("ip", "iproute2");
        Sh.requireRootNetworking();
        LINK.create();
        DnsResolver.Parameters p = new DnsResolver.Parameters();
        p.port = 53;
        p.dotPort = 853;
        p.dohPort = 443;
        p.allow = List.of(LINK.linuxIp() + "/32");
        resolver = ResolverHarness.start((scheduler, clock, random, log) -> {
            tap = TapDevice.open(LINK.tap(), Optional.empty(), scheduler, random, log).orElseThrow(e -> new IllegalStateException(e.describe()));
            LINK.adoptTap();
            Ipv4Config config = new Ipv4Config.Static(LINK.ourPrefix(), Optional.empty());
            return OnLoop.await(scheduler, () -> DirectStack.start(tap, config, clock, scheduler, random, log)).orElseThrow();
        }, p);
        resolver.closers.add(tap::close);
        // a second address on the Linux side: a client the resolver does not serve
        inNamespace(List.of("ip", "addr", "add", LINK.address(3) + "/24", "dev", LINK.tap()));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (resolver != null) {
                resolver.close();
            }
        } finally {
            LINK.delete();
        }
    }

    private static Ran inNamespace(List<String> command) {
        Ran run = Command.of(LINK.exec(command)).run();
        assertEquals(0, run.exit(), run::output);
        return run;
    }

    private static String ask(String tool, String from, String... options) {
        List<String> cmd = new ArrayList<>(List.of(tool, "@" + LINK.ourIp(), "-b", from, "+time=5"));
        cmd.addAll(List.of(options));
        return inNamespace(cmd).out();
    }

    @Test
    void anAllowedClientGetsAnswersOverUdpTcpTlsAndHttps() {
        for (String transport : List.of("+notcp", "+tcp")) {
            String out = ask("dig", LINK.linuxIp(), transport, "www.example.test.", "A");
            assertTrue(out.contains("status: NOERROR") && out.contains("192.0.2.80"), out);
        }
        String kout = ask("kdig", LINK.linuxIp(), "+tls", "www.example.test.", "AAAA");
        assertTrue(kout.contains("TLS session") && kout.contains("2001:db8::80"), kout);
        String https = ask("kdig", LINK.linuxIp(), "-p", "443", "+https", "www.example.test.", "A");
        assertTrue(https.contains("HTTP/2-POST") && https.contains("192.0.2.80"), https);
    }

    @Test
    void aClientOutsideAllowIsRefusedWithProhibited() {
        String out = ask("dig", LINK.address(3), "www.example.test.", "A");
        assertTrue(out.contains("status: REFUSED"), out);
        assertTrue(out.contains("EDE: 18 (Prohibited)"), out);
        String tcp = ask("kdig", LINK.address(3), "+tcp", "+edns", "www.example.test.", "A");
        assertTrue(tcp.contains("status: REFUSED") && tcp.contains("EDE: 18 (Prohibited)"), tcp);
    }
}
