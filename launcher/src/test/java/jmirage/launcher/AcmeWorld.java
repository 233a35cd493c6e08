package jmirage.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import jmirage.testkit.Command;
import jmirage.testkit.Pebble;
import jmirage.testkit.Sh;
import jmirage.testkit.ZoneFile;

/**
 * Issue 17's world, set up as an operator does it (dns-authoritative-letsencrypt/README.md,
 * "Certificates"): pebble, the test ACME server, on {@value #PEBBLE_ADDRESS} with its DNS lookups
 * sent to our server; and our {@code dns-authoritative} in a child JVM with the certify role on,
 * serving {@value #ZONE} from a git store that holds the zone, a TSIG key {@value #KEY_NAME} allowed
 * to update it, and pebble's TLS CA at {@code _acme/ca.pem}, all committed by the operator and
 * pushed into the bare repository the server uses.
 */
final class AcmeWorld implements AutoCloseable {

    static final String ZONE = "example.test";
    static final String KEY_NAME = "web._update.example.test";
    static final String PEBBLE_ADDRESS = "127.17.5.2";
    static final int DNS_PORT = 5300;

    final Path store;
    final Pebble pebble;
    final ChildLauncher dns;
    /** The TSIG secret, base64. */
    final String secret;
    /** Pebble's root (PEM), the trust anchor of the certificates it issues. */
    final Path root;

    private AcmeWorld(Path store, Pebble pebble, ChildLauncher dns, String secret, Path root) {
        this.store = store;
        this.pebble = pebble;
        this.dns = dns;
        this.secret = secret;
        this.root = root;
    }

    /**
     * Pebble issuing certificates valid {@code validity}, then the server on {@code dnsAddress} port
     * {@value #DNS_PORT} with {@code records} (master file lines) in the zone, once its certify role
     * has started.
     */
    static AcmeWorld start(Path dir, String dnsAddress, Duration validity, String records) throws IOException, InterruptedException {
        Sh.requireCommand("git", "git");
        Pebble pebble = Pebble.start(Pebble.Options.of(PEBBLE_ADDRESS, dnsAddress + ":" + DNS_PORT).withCertificateValidity(validity));
        try {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            String secret = Base64.getEncoder().encodeToString(key);
            Path work = Files.createDirectories(dir.resolve("zones"));
            Files.writeString(work.resolve(ZONE), new ZoneFile(ZONE + ".", "3600 600 86400 60").text(1, records));
            Files.writeString(work.resolve("_keys"), KEY_NAME + ". DNSKEY 0 3 163 " + secret + "\n");
            Files.createDirectories(work.resolve("_acme"));
            Files.writeString(work.resolve("_acme/ca.pem"), pebble.tlsCertificatePem());
            git(work, "init", "-q", "-b", "main");
            git(work, "add", "-A");
            git(work, "-c", "user.name=operator", "-c", "user.email=operator@example.test", "commit", "-q", "-m", "zone example.test");
            Path store = dir.resolve("store.git");
            Command.of("git", "clone", "-q", "--bare", work.toString(), store.toString()).run().ok();
            Path root = dir.resolve("pebble-root.pem");
            Files.writeString(root, pebble.rootPem());
            ChildLauncher dns = new ChildLauncher("run", "dns-authoritative", "--listen", dnsAddress, "--port", Integer.toString(DNS_PORT),
                    "--kv", "git:" + store, "--rrl", "0", "--acme-directory", pebble.directoryUrl().toString(), "--acme-ca", "_acme/ca.pem",
                    "--acme-email", "hostmaster@example.test");
            try {
                dns.awaitLine("on port " + DNS_PORT);
                dns.awaitLine("certify role started");
            } catch (AssertionError | InterruptedException e) {
                dns.close();
                throw e;
            }
            return new AcmeWorld(store, pebble, dns, secret, root);
        } catch (IOException | RuntimeException | Error | InterruptedException e) {
            pebble.close();
            throw e;
        }
    }

    /** The unikernel's {@code --certify-key}: NAME:ALGORITHM:BASE64. */
    String certifyKey() {
        return KEY_NAME + ":sha256:" + secret;
    }

    /** The store's commits, oldest first, as {@code AUTHOR: SUBJECT}. */
    List<String> history() {
        return Command.of("git", "--git-dir", store.toString(), "log", "--reverse", "--format=%an: %s").run().ok().out().lines().toList();
    }

    /** The zone file as the store's last commit has it. */
    String zoneFile() {
        return Command.of("git", "--git-dir", store.toString(), "show", "main:" + ZONE).run().ok().out();
    }

    /** What the server and pebble printed, for failure messages. */
    String output() {
        return "dns-authoritative:\n" + dns.output() + "\npebble:\n" + pebble.output();
    }

    private static void git(Path work, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", work.toString()));
        command.addAll(List.of(args));
        Command.of(command).run().ok();
    }

    @Override
    public void close() {
        try {
            dns.close();
        } finally {
            pebble.close();
        }
    }
}
