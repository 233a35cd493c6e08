package jmirage.authoritative.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.authoritative.store.HostFixture;
import jmirage.authoritative.store.SampleZone;
import jmirage.authoritative.store.ZoneOptions;
import jmirage.core.Promise;
import jmirage.host.TapDevice;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.testkit.Command;
import jmirage.testkit.OnLoop;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import jmirage.testkit.TapLink;
import jmirage.tls.x509.Pem;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tap target: the certify role on platform/net's DirectStack over a TAP device, zones in git, a
 * {@link FakeIssuer} as the CA; nsupdate and dig run in a network namespace holding the Linux side.
 * A CSR made by openssl and published with nsupdate comes back, read with dig, as a certificate
 * that openssl verifies against the fake CA, and git shows each step. As root.
 */
@Tag("peer")
@Tag("root")
class CertifierOnTapTargetTest {

    static final TapLink LINK = TapLink.random("crtf", "crtf", "10.217");
    static final String KEY = "hmac-sha256:test._update.example.test:" + SampleZone.TEST_SECRET;
    static final String OWNER = "_letsencrypt._tcp.host.example.test.";

    @Test
    void aCsrPublishedOverTheTapGetsItsCertificate(@TempDir Path dir) throws Exception {
        Sh.requireRootNetworking();
        Sh.requireCommand("nsupdate", "bind9-dnsutils");
        Sh.requireCommand("dig", "bind9-dnsutils");
        Sh.requireCommand("openssl", "openssl");
        Sh.requireCommand("git", "git");
        LINK.create();
        try {
            Path repo = dir.resolve("zones.git");
            try (HostFixture f = new HostFixture("crtf-tap", (scheduler, clock, random, log) -> {
                TapDevice tap = TapDevice.open(LINK.tap(), Optional.empty(), scheduler, random, log)
                        .orElseThrow(e -> new IllegalStateException(e.describe()));
                LINK.adoptTap();
                DirectStack stack = OnLoop.await(scheduler, () -> DirectStack.start(tap,
                        new Ipv4Config.Static(LINK.ourPrefix(), Optional.empty()), clock, scheduler, random, log)).orElseThrow();
                return new HostFixture.ClosingStack(stack, tap);
            }, repo, Map.of(), new ZoneOptions(), 53)) {
                Pki pki = new Pki(21);
                FakeIssuer issuer = new FakeIssuer(pki, f.clock, f.server.zones::primaries, Duration.ofDays(90), 0);
                Certifier certifier = OnLoop.await(f.scheduler, () -> Promise.resolved(
                        Certifier.primary(f.server.zones, issuer, f.scheduler, f.clock, f.log.named("certify"))));

                Path der = dir.resolve("host.der");
                Command.of("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                        dir.resolve("host.key").toString(), "-subj", "/CN=host.example.test", "-addext",
                        "subjectAltName=DNS:host.example.test", "-outform", "DER", "-out", der.toString()).run().ok();
                String csr = java.util.HexFormat.of().formatHex(Files.readAllBytes(der));
                Ran published = Command.of(LINK.exec("nsupdate", "-t", "5", "-y", KEY)).stdin("server " + LINK.ourIp()
                        + "\nzone example.test\nupdate add " + OWNER + " 300 TLSA 3 255 0 " + csr + "\nsend\n").run();
                assertEquals(0, published.exit(), published.output());

                String leafHex = "";
                for (int i = 0; i < 50 && leafHex.isEmpty(); i++) {
                    Thread.sleep(200);
                    leafHex = Command.of(LINK.exec("dig", "@" + LINK.ourIp(), "+short", "+norec", OWNER, "TLSA")).run().out()
                            .lines().filter(l -> l.startsWith("3 0 0 ")).map(l -> l.substring(6).replace(" ", "")).findFirst().orElse("");
                }
                assertTrue(!leafHex.isEmpty(), "no certificate at " + OWNER);
                Files.write(dir.resolve("leaf.der"), java.util.HexFormat.of().parseHex(leafHex));
                Files.writeString(dir.resolve("ca.pem"), Pem.certificates(List.of(pki.ca)));
                Command.of("openssl", "x509", "-inform", "DER", "-in", dir.resolve("leaf.der").toString(), "-out",
                        dir.resolve("leaf.pem").toString()).run().ok();
                Command.of("openssl", "verify", "-CAfile", dir.resolve("ca.pem").toString(), dir.resolve("leaf.pem").toString()).run().ok();
                Ran challenge = Command.of(LINK.exec("dig", "@" + LINK.ourIp(), "+short", "+norec", "_acme-challenge.host.example.test",
                        "TXT")).run();
                assertEquals("", challenge.out().trim(), "the challenge is gone");
                List<String> log = Command.of("git", "-C", repo.toString(), "log", "--format=%an|%s", "main").run().ok().out().lines().toList();
                assertEquals(List.of("certify|certify: challenge for host.example.test removed", "certify|certify: challenge for host.example.test",
                        "test._update.example.test|changed by test._update.example.test from " + LINK.linuxIp(), "unikernel|sample zone"),
                        log.subList(1, log.size()), log.toString());
                assertTrue(log.getFirst().startsWith("certify|certify: certificate for host.example.test, serial "), log.getFirst());
                OnLoop.await(f.scheduler, () -> {
                    certifier.stop();
                    return Promise.done();
                });
            }
        } finally {
            LINK.delete();
        }
    }
}
