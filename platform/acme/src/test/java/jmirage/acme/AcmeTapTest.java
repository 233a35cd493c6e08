package jmirage.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.RecordingLog;
import jmirage.core.Result;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.TapDevice;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.testkit.Command;
import jmirage.testkit.OnLoop;
import jmirage.testkit.Pebble;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import jmirage.testkit.TapLink;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.Pem;
import jmirage.tls.x509.X509;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The client on the tap target: platform/net's DirectStack on a TAP device with its own MAC and
 * 10.83.N.2, through {@link StackTransport}, to a real pebble and pebble-challtestsrv running in a
 * network namespace on the Linux end of the TAP (10.83.N.1). As root.
 */
@Tag("peer")
@Tag("root")
class AcmeTapTest {

    private static final String NAME = "tap.acme.test";

    @Test
    void issuesOverTheDirectStackOnATap() throws Exception {
        Sh.requireRootNetworking();
        Sh.requireCommand("openssl", "openssl");
        TapLink link = TapLink.random("acm", "acmns", "10.83");
        HostScheduler loop = HostScheduler.start("acme-tap");
        HostClock clock = new HostClock();
        HostRandom random = new HostRandom();
        List<LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        RecordingLog log = new RecordingLog("acme-tap", LogLevel.INFO, clock, records::add);
        Path folder = Files.createTempDirectory("acme-tap");
        TapDevice tap = null;
        ChallTestSrv challtestsrv = null;
        Pebble pebble = null;
        link.create();
        try {
            tap = TapDevice.open(link.tap(), Optional.empty(), loop, random, log).orElseThrow(e -> new IllegalStateException(e.describe()));
            link.adoptTap();
            TapDevice device = tap;
            DirectStack stack = OnLoop.await(loop, () -> DirectStack.start(device, new Ipv4Config.Static(link.ourPrefix(), Optional.empty()),
                    clock, loop, random, log)).orElseThrow();
            challtestsrv = ChallTestSrv.start(link.linuxIp(), link.linuxIp(), Optional.of(link.namespace()), loop);
            pebble = Pebble.start(Pebble.Options.of(link.linuxIp(), challtestsrv.dnsServer()).withNamespace(link.namespace()));

            Certificate anchor = Pem.readCertificates(pebble.tlsCertificatePem()).orElseThrow().getFirst();
            StackTransport transport = new StackTransport(stack, loop, clock, random, List.of(anchor), Optional.empty(),
                    Duration.ofSeconds(10));
            AcmeClient client = AcmeClient.create(transport, pebble.directoryUrl(), KeyPair.generate(KeyType.EC_P256, random), loop,
                    clock, log, new AcmeClient.Limits(Duration.ofSeconds(10), 10, Duration.ofMillis(200), Duration.ofSeconds(5), 100,
                            Duration.ofSeconds(60)));
            KeyPair serviceKey = KeyPair.generate(KeyType.EC_P256, random);
            ChallTestSrv dns01 = challtestsrv;
            Result<List<Certificate>, AcmeError> issued = OnLoop.await(loop,
                    () -> client.issue(X509.csr(NAME, List.of(NAME), serviceKey, random), List.of(NAME), dns01), Duration.ofSeconds(90));
            if (issued instanceof Result.Err<List<Certificate>, AcmeError>(AcmeError e)) {
                throw new AssertionError(e.describe() + "\nlog: " + records + "\npebble: " + pebble.output());
            }
            List<Certificate> chain = issued.orElseThrow();

            Path leaf = Files.writeString(folder.resolve("leaf.pem"), Pem.certificates(List.of(chain.getFirst())));
            Path root = Files.writeString(folder.resolve("root.pem"), pebble.rootPem());
            Path intermediate = Files.writeString(folder.resolve("intermediate.pem"), pebble.intermediatePem());
            Ran verified = Command.of("openssl", "verify", "-CAfile", root.toString(), "-untrusted", intermediate.toString(),
                    leaf.toString()).run();
            assertTrue(verified.succeeded() && verified.out().contains(": OK"), verified.describe());
            assertEquals("", challtestsrv.txt("_acme-challenge." + NAME), "the challenge TXT is gone");
            OnLoop.await(loop, stack::close);
        } finally {
            if (pebble != null) {
                pebble.stop();
            }
            if (challtestsrv != null) {
                challtestsrv.close();
            }
            if (tap != null) {
                TapDevice device = tap;
                OnLoop.await(loop, device::close);
            }
            loop.shutdown(Duration.ofSeconds(5));
            link.delete();
            Sh.quietly("rm", "-rf", folder.toString());
        }
    }
}
