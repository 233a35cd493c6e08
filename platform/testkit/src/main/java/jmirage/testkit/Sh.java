package jmirage.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Shorthands over {@link Command} for the set-up steps of tests (network namespaces, TAP
 * interfaces as root) and the checks that a peer is installed. A missing peer fails the test with
 * the Debian package to install: tests never skip.
 */
public final class Sh {

    /** Where Debian installs programs; sbin holds the daemons (nsd, knotd, dhclient) that a plain PATH may lack. */
    private static final List<String> SBIN = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");

    private Sh() {}

    /** Runs {@code command} ({@link Command#DEFAULT_TIMEOUT} at most), failing with its output unless it succeeds; returns stdout. */
    public static String ok(String... command) {
        return Command.of(command).run().ok().out();
    }

    /** Runs {@code command} ignoring how it ends: for clean-up that may find nothing to clean. */
    public static void quietly(String... command) {
        if (installed(command[0]).isPresent()) {
            Command.of(command).run();
        }
    }

    /** Fails with a clear message unless we are root with /dev/net/tun and `ip`. */
    public static void requireRootNetworking() {
        String uid = ok("id", "-u").trim();
        if (!uid.equals("0")) {
            throw new AssertionError("this test builds network namespaces and TAP interfaces and needs root (uid 0); running as uid " + uid);
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            throw new AssertionError("this test needs /dev/net/tun (the tun kernel module)");
        }
        requireCommand("ip", "iproute2");
    }

    /** Fails unless {@code command} is installed, naming the Debian package that has it. */
    public static void requireCommand(String command, String debianPackage) {
        if (installed(command).isEmpty()) {
            throw new AssertionError(notInstalled(command, Optional.of(debianPackage)));
        }
    }

    /** The program's full path, looking in the sbin folders too; empty when it is not installed. */
    public static Optional<Path> installed(String command) {
        if (command.contains("/")) {
            return Optional.of(Path.of(command)).filter(Files::isExecutable);
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.concat(Stream.of(path.split(":")), SBIN.stream())
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, command))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** The failure for a command that could not start: the Debian package when the module's test-peers.txt names it. */
    static AssertionError missing(String command, IOException cause) {
        if (installed(command).isPresent()) {
            return new AssertionError("could not start " + command + ": " + cause.getMessage(), cause);
        }
        return new AssertionError(notInstalled(command, packageListed(command, Path.of("test-peers.txt"))), cause);
    }

    private static String notInstalled(String command, Optional<String> debianPackage) {
        String install = debianPackage.map(p -> "apt-get install " + p).orElse("see the module's test-peers.txt");
        return "this test needs `" + command + "`, which is not installed: " + install
                + " (scripts/install-test-peers installs every module's peers)";
    }

    /** The package a test-peers.txt (the module's, in the folder where its tests run) lists for {@code command}. */
    static Optional<String> packageListed(String command, Path testPeers) {
        String name = Path.of(command).getFileName().toString();
        try (Stream<String> lines = Files.lines(testPeers)) {
            return lines.map(String::strip)
                    .filter(line -> !line.startsWith("#"))
                    .map(line -> line.split("\\s+"))
                    .filter(words -> words.length == 2 && words[0].equals(name))
                    .map(words -> words[1])
                    .findFirst();
        } catch (IOException noList) {
            return Optional.empty();
        }
    }
}
