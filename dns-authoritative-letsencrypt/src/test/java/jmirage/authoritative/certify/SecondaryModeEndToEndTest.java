package jmirage.authoritative.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import jmirage.authoritative.store.ZoneOptions;
import jmirage.authoritative.store.ZoneServer;
import jmirage.authoritative.transfer.Knot;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.RecordingLog;
import jmirage.core.kv.Key;
import jmirage.core.net.IpAddresses;
import jmirage.host.ConsoleLog;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import jmirage.kv.MemKv;
import jmirage.testkit.Command;
import jmirage.testkit.OnLoop;
import jmirage.testkit.Pebble;
import jmirage.testkit.Sh;
import jmirage.testkit.ZoneFile;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.Csr;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.Pem;
import jmirage.tls.x509.X509;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secondary mode end to end, on loopback: Knot is the primary of prim.test (127.17.4.1), not ours;
 * our server (127.17.4.2) is its secondary with the certify role on, ordering from pebble (127.17.4.3),
 * whose DNS-01 validation asks Knot. A CSR published at Knot with {@code nsupdate} reaches us by
 * NOTIFY and IXFR; the role answers the challenge by updates to Knot, and publishes the certificate
 * there: Knot serves {@code TLSA 3 0 0} that {@code openssl verify} chains to pebble's root for the
 * CSR's name, with the chain as {@code TLSA 0 0 0}, and the challenge TXT is gone.
 */
@Tag("peer")
class SecondaryModeEndToEndTest {

    static final String KNOT = "127.17.4.1";
    static final int KNOT_PORT = 22481;
    static final String US = "127.17.4.2";
    static final int US_PORT = 22482;
    static final String PEBBLE = "127.17.4.3";
    static final String CERTIFY_SECRET = "Y2VydGlmeSBvbiB0aGUgc2Vjb25kYXJ5LCBlbmQgdG8gZW5k";
    static final String OPS_SECRET = "b3BlcmF0b3IncyBrZXkgZm9yIHByaW0udGVzdCBjc3Jz";
    static final String OWNER = "_letsencrypt._tcp.www.prim.test.";

    static String knotConf(Path dir) {
        return """
                key:
                  - id: certify._update.prim.test
                    algorithm: hmac-sha256
                    secret: %s
                  - id: ops._update.prim.test
                    algorithm: hmac-sha256
                    secret: %s
                remote:
                  - id: us
                    address: %s@%d
                    via: %s
                    key: certify._update.prim.test
                acl:
                  - id: certify
                    key: certify._update.prim.test
                    action: [transfer, update]
                  - id: ops
                    key: ops._update.prim.test
                    action: update
                zone:
                  - domain: prim.test
                    file: %s/prim.test.zone
                    notify: us
                    acl: [certify, ops]
                """.formatted(CERTIFY_SECRET, OPS_SECRET, US, US_PORT, KNOT, dir);
    }

    static List<String> kdig(String server, int port, String name, String type) throws Exception {
        String out = Command.of("kdig", "@" + server, "-p", String.valueOf(port), "+short", "+time=2", name, type).run().ok().out().trim();
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    /** The DER of each {@code TLSA usage 0 0} at OWNER, as Knot serves it ({@code 3 0 0 HEX...}, the hex maybe in chunks). */
    static List<Bytes> tlsa(String server, int port, int usage) throws Exception {
        return kdig(server, port, OWNER, "TLSA").stream().map(l -> l.trim().split("\\s+"))
                .filter(f -> f[0].equals(String.valueOf(usage)) && f[1].equals("0") && f[2].equals("0"))
                .map(f -> Bytes.of(HexFormat.of().parseHex(String.join("", Arrays.copyOfRange(f, 3, f.length)).toLowerCase())))
                .toList();
    }

    @Test
    void aCsrAtAKnotPrimaryGetsAPebbleCertificateThroughOurSecondary(@TempDir Path dir) throws Exception {
        Sh.requireCommand("knotd", "knot");
        Sh.requireCommand("kdig", "knot-dnsutils");
        Sh.requireCommand("nsupdate", "bind9-dnsutils");
        Sh.requireCommand("openssl", "openssl");
        Path knotDir = dir.resolve("knot");
        Files.createDirectories(knotDir);
        Files.writeString(knotDir.resolve("prim.test.zone"), new ZoneFile("prim.test.", "60 10 3600 60").text(1, "www A 192.0.2.10"));

        HostScheduler loop = HostScheduler.start("certify-secondary");
        HostClock clock = new HostClock();
        RecordingLog log = ConsoleLog.create("us", LogLevel.INFO, clock);
        HostStack stack = new HostStack(loop, IpAddresses.parse(US).orElseThrow());
        try (Knot knot = new Knot(knotDir, KNOT, KNOT_PORT, knotConf(knotDir));
                Pebble pebble = Pebble.start(Pebble.Options.of(PEBBLE, KNOT + ":" + KNOT_PORT).withPorts(22483, 22484))) {
            MemKv kv = new MemKv(clock);
            OnLoop.await(loop, () -> kv.set(Key.of("_keys"), Bytes.utf8("certify._update.prim.test. DNSKEY 0 3 163 " + CERTIFY_SECRET + "\n")));
            OnLoop.await(loop, () -> kv.set(Key.of("_acme/ca.pem"), Bytes.utf8(pebble.tlsCertificatePem())));
            ZoneOptions options = new ZoneOptions();
            options.secondaries.add("prim.test@" + KNOT + ":" + KNOT_PORT + "#certify._update.prim.test");
            CertifyOptions acme = new CertifyOptions();
            acme.directory = pebble.directoryUrl().toString();
            acme.ca = "_acme/ca.pem";
            CertifyOptions.Config config = acme.parse().orElseThrow().orElseThrow();
            assertEquals(List.of(), OnLoop.await(loop, () -> AcmeSetup.check(kv, config)));

            ZoneServer server = OnLoop.await(loop, () -> ZoneServer.start(kv, stack, loop, clock, new HostRandom(), log, options, US_PORT))
                    .orElseThrow();
            List<Certifier> roles = OnLoop.await(loop, () -> AcmeSetup.start(config, server.zones, kv, stack, loop, clock, new HostRandom(),
                    log.named("certify"))).orElseThrow();
            assertEquals(2, roles.size(), "the role on our zones (none) and on the secondary zones");
            try {
                Knot.waitFor(Duration.ofSeconds(20), () -> {
                    try {
                        return kdig(US, US_PORT, "www.prim.test", "A").equals(List.of("192.0.2.10"));
                    } catch (Exception e) {
                        return false;
                    }
                }, "the first transfer from Knot");

                // the operator (or a unikernel) publishes a CSR at the primary
                KeyPair key = KeyPair.generate(KeyType.EC_P256, new jmirage.sim.SeededRandom(17));
                Csr csr = X509.csr("www.prim.test", List.of("www.prim.test"), key, new jmirage.sim.SeededRandom(18));
                String script = """
                        server %s %d
                        zone prim.test
                        update add %s 60 TLSA 3 255 0 %s
                        send
                        """.formatted(KNOT, KNOT_PORT, OWNER, csr.der().hex());
                Command.of("nsupdate", "-y", "hmac-sha256:ops._update.prim.test:" + OPS_SECRET).stdin(script).run().ok();

                Knot.waitFor(Duration.ofSeconds(90), () -> {
                    try {
                        return !tlsa(KNOT, KNOT_PORT, 3).isEmpty();
                    } catch (Exception e) {
                        return false;
                    }
                }, "the certificate at the primary");
                List<Bytes> leaves = tlsa(KNOT, KNOT_PORT, 3);
                assertEquals(1, leaves.size(), leaves.toString());
                List<Bytes> chain = tlsa(KNOT, KNOT_PORT, 0);
                assertTrue(!chain.isEmpty(), "the chain is published as TLSA 0 0 0");
                Path leafPem = dir.resolve("leaf.pem");
                Path chainPem = dir.resolve("chain.pem");
                Path rootPem = dir.resolve("root.pem");
                Files.writeString(leafPem, Pem.certificates(List.of(Certificate.fromDer(leaves.getFirst()).orElseThrow())));
                Files.writeString(chainPem, Pem.certificates(chain.stream().map(d -> Certificate.fromDer(d).orElseThrow()).toList()));
                Files.writeString(rootPem, pebble.rootPem());
                String verified = Command.of("openssl", "verify", "-CAfile", rootPem.toString(), "-untrusted", chainPem.toString(),
                        "-verify_hostname", "www.prim.test", leafPem.toString()).run().ok().out();
                assertTrue(verified.contains(": OK"), verified);
                assertTrue(CertifyCore.isFor(Certificate.fromDer(leaves.getFirst()).orElseThrow(),
                        CertificateRequest.read(csr.der()).orElseThrow()), "the certificate carries the CSR's key");

                assertEquals(List.of(), kdig(KNOT, KNOT_PORT, "_acme-challenge.www.prim.test", "TXT"), "the challenge TXT is gone");
                Knot.waitFor(Duration.ofSeconds(20), () -> {
                    try {
                        return tlsa(US, US_PORT, 3).equals(leaves);
                    } catch (Exception e) {
                        return false;
                    }
                }, "our copy serves the certificate too");
            } finally {
                roles.forEach(r -> loop.execute(r::stop));
                OnLoop.await(loop, server::stop);
            }
        } finally {
            OnLoop.await(loop, stack::close);
            loop.shutdown(Duration.ofSeconds(5));
        }
    }
}
