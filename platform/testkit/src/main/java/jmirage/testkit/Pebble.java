package jmirage.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A running pebble (Let's Encrypt's test ACME server, Debian package {@code pebble}) for interop and
 * end-to-end tests: {@link #start(Options)} writes its configuration in a fresh temporary folder,
 * makes its TLS certificate with openssl (a test CA, and a server certificate for the listening IP
 * and {@code localhost} signed by it), starts it with {@code PEBBLE_VA_NOSLEEP=1} and its DNS lookups
 * sent to {@link Options#dnsServer()}, and returns once its directory answers.
 *
 * <p>Two trust anchors matter: {@link #tlsCertificatePem()} is what an ACME client trusts for
 * pebble's own HTTPS; {@link #rootPem()} is the root of the certificates pebble issues (a new one on
 * every launch, fetched from the management interface).
 */
public final class Pebble implements AutoCloseable {

    /** How long pebble may take to answer its directory after starting. */
    private static final Duration READY_LIMIT = Duration.ofSeconds(20);

    /**
     * What the test chooses.
     *
     * @param address             the loopback IP pebble listens on (ACME and management), as {@code 127.17.1.10}
     * @param port                the ACME port (the directory is {@code https://ADDRESS:PORT/dir})
     * @param managementPort      the management port (roots, intermediates)
     * @param dnsServer           where pebble's validation sends DNS queries, {@code HOST:PORT}
     * @param certificateValidity validity of the certificates pebble issues ({@code certificateValidityPeriod})
     * @param environment         more environment for pebble, as {@code PEBBLE_WFE_NONCEREJECT=0}
     * @param hostNames           DNS names pebble's HTTPS certificate holds besides {@code localhost}, for a
     *                            client that reaches it by a name its resolver knows
     * @param namespace           the network namespace pebble (and the fixture's curl) runs in, for a tap-target
     *                            test whose unikernel reaches it over a TAP; empty: the test's own
     */
    public record Options(String address, int port, int managementPort, String dnsServer, Duration certificateValidity,
                          Map<String, String> environment, List<String> hostNames, Optional<NetNamespace> namespace) {

        public Options {
            Objects.requireNonNull(address);
            Objects.requireNonNull(dnsServer);
            if (certificateValidity.isNegative() || certificateValidity.isZero()) {
                throw new IllegalArgumentException("certificate validity must be positive: " + certificateValidity);
            }
            environment = Map.copyOf(environment);
            hostNames = List.copyOf(hostNames);
            Objects.requireNonNull(namespace);
        }

        /** Pebble on {@code address} ports 14000 (ACME) and 15000 (management), certificates valid 90 days. */
        public static Options of(String address, String dnsServer) {
            return new Options(address, 14000, 15000, dnsServer, Duration.ofDays(90), Map.of(), List.of(), Optional.empty());
        }

        public Options withPorts(int acme, int management) {
            return new Options(address, acme, management, dnsServer, certificateValidity, environment, hostNames, namespace);
        }

        public Options withCertificateValidity(Duration validity) {
            return new Options(address, port, managementPort, dnsServer, validity, environment, hostNames, namespace);
        }

        /** One more environment variable for pebble, as {@code PEBBLE_WFE_NONCEREJECT}, {@code PEBBLE_AUTHZREUSE}. */
        public Options withEnv(String name, String value) {
            Map<String, String> more = new HashMap<>(environment);
            more.put(name, value);
            return new Options(address, port, managementPort, dnsServer, certificateValidity, more, hostNames, namespace);
        }

        /** Names for pebble's HTTPS certificate besides {@code localhost} (the directory is then reachable by them). */
        /** Pebble inside {@code ns}, where the Linux end of a test's TAP is: {@link Options#address()} is an address there. */
        public Options withNamespace(NetNamespace ns) {
            return new Options(address, port, managementPort, dnsServer, certificateValidity, environment, hostNames, Optional.of(ns));
        }

        public Options withHostNames(List<String> names) {
            return new Options(address, port, managementPort, dnsServer, certificateValidity, environment, names, namespace);
        }
    }

    private final Options options;
    private final Path folder;
    private final Started process;

    private Pebble(Options options, Path folder, Started process) {
        this.options = options;
        this.folder = folder;
        this.process = process;
    }

    /** Starts pebble and waits until its directory answers; fails the test if it does not within 20 s. */
    public static Pebble start(Options options) {
        Sh.requireCommand("pebble", "pebble");
        Sh.requireCommand("openssl", "openssl");
        Sh.requireCommand("curl", "curl");
        Path folder;
        try {
            folder = Files.createTempDirectory("pebble");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        makeCertificate(folder, options.address(), options.hostNames());
        String config = """
                {
                  "pebble": {
                    "listenAddress": "%s:%d",
                    "managementListenAddress": "%s:%d",
                    "certificate": "%s",
                    "privateKey": "%s",
                    "httpPort": 5002,
                    "tlsPort": 5001,
                    "ocspResponderURL": "",
                    "externalAccountBindingRequired": false,
                    "certificateValidityPeriod": %d
                  }
                }
                """.formatted(options.address(), options.port(), options.address(), options.managementPort(),
                folder.resolve("server.pem"), folder.resolve("server.key"), options.certificateValidity().toSeconds());
        write(folder.resolve("pebble-config.json"), config);
        Command command = Command.of(inNamespace(options, List.of("pebble", "-config",
                        folder.resolve("pebble-config.json").toString(), "-dnsserver", options.dnsServer())))
                .env("PEBBLE_VA_NOSLEEP", "1")
                .in(folder);
        for (Map.Entry<String, String> e : options.environment().entrySet()) {
            command = command.env(e.getKey(), e.getValue());
        }
        Pebble pebble = new Pebble(options, folder, command.start());
        pebble.awaitDirectory();
        return pebble;
    }

    /** The ACME directory URL, {@code https://ADDRESS:PORT/dir}. */
    public URI directoryUrl() {
        return URI.create("https://" + options.address() + ":" + options.port() + "/dir");
    }

    /** The directory URL by one of {@link Options#hostNames()}: for a client that resolves names. */
    public URI directoryUrl(String hostName) {
        if (!options.hostNames().contains(hostName)) {
            throw new IllegalArgumentException(hostName + " is not in pebble's certificate: " + options.hostNames());
        }
        return URI.create("https://" + hostName + ":" + options.port() + "/dir");
    }

    /** The CA certificate (PEM) that signed pebble's HTTPS certificate: the trust anchor for an ACME client. */
    public String tlsCertificatePem() {
        return read(folder.resolve("ca.pem"));
    }

    /** The root of the certificates pebble issues (PEM), from {@code /roots/0} of the management interface. */
    public String rootPem() {
        return management("/roots/0");
    }

    /** The intermediate that signs issued certificates (PEM), from {@code /intermediates/0}. */
    public String intermediatePem() {
        return management("/intermediates/0");
    }

    /** What pebble has printed so far (stdout and stderr), for failure messages. */
    public String output() {
        return process.out() + process.err();
    }

    public Options options() {
        return options;
    }

    /** Stops pebble and deletes its folder. */
    public void stop() {
        process.stop();
        Sh.quietly("rm", "-rf", folder.toString());
    }

    @Override
    public void close() {
        stop();
    }

    private String management(String path) {
        return curl("https://" + options.address() + ":" + options.managementPort() + path).ok().out();
    }

    private Ran curl(String url) {
        return Command.of(inNamespace(options, List.of("curl", "-sS", "--fail", "--max-time", "5", "--cacert",
                folder.resolve("ca.pem").toString(), url))).run();
    }

    private static List<String> inNamespace(Options options, List<String> command) {
        return options.namespace().map(ns -> ns.exec(command)).orElse(command);
    }

    private void awaitDirectory() {
        long deadline = System.nanoTime() + READY_LIMIT.toNanos();
        while (true) {
            Ran ran = curl(directoryUrl().toString());
            if (ran.succeeded() && ran.out().contains("newNonce")) {
                return;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                Ran ended = process.stop();
                throw new AssertionError("pebble did not answer its directory " + directoryUrl() + ": " + ran.describe()
                        + "\npebble: " + ended.describe());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for pebble", e);
            }
        }
    }

    /** A test CA and, signed by it, pebble's server certificate for {@code address}, {@code localhost} and {@code names}. */
    private static void makeCertificate(Path folder, String address, List<String> names) {
        String dir = folder.toString();
        Command.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                        "-keyout", dir + "/ca.key", "-out", dir + "/ca.pem", "-days", "30", "-subj", "/CN=jmirage pebble test CA",
                        "-addext", "basicConstraints=critical,CA:TRUE",
                        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
                .run().ok();
        Command.of("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                        "-keyout", dir + "/server.key", "-out", dir + "/server.csr", "-subj", "/CN=pebble")
                .run().ok();
        write(folder.resolve("server.ext"), """
                basicConstraints=critical,CA:FALSE
                keyUsage=critical,digitalSignature
                extendedKeyUsage=serverAuth
                subjectAltName=IP:%s,DNS:localhost%s
                """.formatted(address, names.stream().map(n -> ",DNS:" + n).collect(java.util.stream.Collectors.joining())));
        Command.of("openssl", "x509", "-req", "-in", dir + "/server.csr", "-CA", dir + "/ca.pem", "-CAkey", dir + "/ca.key",
                        "-CAcreateserial", "-days", "30", "-extfile", dir + "/server.ext", "-out", dir + "/server.pem")
                .run().ok();
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
