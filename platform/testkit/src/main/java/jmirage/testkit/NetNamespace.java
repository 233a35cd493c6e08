package jmirage.testkit;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A Linux network namespace that a root test owns, by name: {@link #create()} adds it, {@link #exec}
 * builds a command that runs inside it, {@link #adoptTap} moves a TAP interface of the test's
 * namespace into it as the Linux end of the link, and {@link #delete()} kills what was left running
 * in it and removes it. Names carry {@link #uniqueSuffix()} so that concurrent runs do not clash.
 */
public record NetNamespace(String name) {

    /** Six hex digits, fresh for each call: the tail of a namespace or interface name. */
    public static String uniqueSuffix() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    }

    /** A random third octet (1 to 250) for a test's /24, so that concurrent runs use different subnets. */
    public static int randomSubnet() {
        return 1 + ThreadLocalRandom.current().nextInt(250);
    }

    /** Adds the namespace ({@code ip netns add}), failing the test unless it could. */
    public NetNamespace create() {
        Sh.ok("ip", "netns", "add", name);
        return this;
    }

    /** {@code command} run inside the namespace ({@code ip netns exec}). */
    public List<String> exec(String... command) {
        return exec(List.of(command));
    }

    /** {@code command} run inside the namespace ({@code ip netns exec}). */
    public List<String> exec(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return full;
    }

    /** Runs {@code ip -n NAME arguments...}, failing the test unless it succeeds; returns its stdout. */
    public String ip(String... arguments) {
        List<String> full = new ArrayList<>(List.of("ip", "-n", name));
        full.addAll(List.of(arguments));
        return Sh.ok(full.toArray(String[]::new));
    }

    /**
     * Moves the TAP interface {@code tap} (opened by the test in its own namespace) in here and brings
     * it and the loopback up, with {@code linuxAddress} (as {@code 10.77.5.1/24}) on the Linux end
     * when given.
     */
    public void adoptTap(String tap, Optional<String> linuxAddress) {
        Sh.ok("ip", "link", "set", tap, "netns", name);
        ip("link", "set", "lo", "up");
        linuxAddress.ifPresent(address -> ip("addr", "add", address, "dev", tap));
        ip("link", "set", tap, "up");
    }

    /** Kills (SIGKILL) whatever still runs in the namespace, a client a failed test left behind, then removes it. */
    public void delete() {
        if (Sh.installed("ip").isEmpty()) {
            return;
        }
        Command.of("ip", "netns", "pids", name).run().out().lines()
                .forEach(pid -> Sh.quietly("kill", "-9", pid.trim()));
        Sh.quietly("ip", "netns", "del", name);
    }
}
