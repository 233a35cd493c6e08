package jmirage.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A host command for a test to run: a real peer (dig, nsd, openssl, perfdhcp), a set-up step
 * ({@code ip netns}), or a child JVM. The one way tests start processes: {@link #run()} waits for
 * it within {@link #timeout()}, {@link #start()} leaves it running (a server peer) until
 * {@link Started#stop()}.
 *
 * <p>The timeout holds whatever the process does with its pipes: stdout and stderr are drained by
 * their own threads, stdin is written by another, and the wait is on the process alone, so a peer
 * that hangs, floods its output or never reads its input is killed (with its children) on time.
 *
 * @param argv        the program and its arguments
 * @param stdin       bytes written to its standard input, which is then closed (empty: closed at once)
 * @param stdinHeldOpen leave standard input open, unwritten, until the process is stopped: for a peer
 *                    that ends its session at end of input (openssl s_server)
 * @param environment variables added to the inherited environment
 * @param directory   its working folder; the test's when empty
 * @param timeout     how long {@link #run()} waits before it kills the process tree
 */
public record Command(List<String> argv, byte[] stdin, boolean stdinHeldOpen, Map<String, String> environment,
        Optional<Path> directory, Duration timeout) {

    /** How long a command may run unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public Command {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least the program");
        }
        stdin = stdin.clone();
        environment = Map.copyOf(environment);
        if (stdinHeldOpen && stdin.length > 0) {
            throw new IllegalArgumentException("standard input is either written or held open, not both");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a timeout must be positive: " + timeout);
        }
    }

    public static Command of(String... argv) {
        return of(List.of(argv));
    }

    public static Command of(List<String> argv) {
        return new Command(argv, new byte[0], false, Map.of(), Optional.empty(), DEFAULT_TIMEOUT);
    }

    public Command stdin(byte[] input) {
        return new Command(argv, input, false, environment, directory, timeout);
    }

    public Command stdin(String input) {
        return stdin(input.getBytes(StandardCharsets.UTF_8));
    }

    /** Leaves standard input open until the process is stopped, as a terminal would. */
    public Command holdStdin() {
        return new Command(argv, new byte[0], true, environment, directory, timeout);
    }

    public Command env(String name, String value) {
        Map<String, String> more = new HashMap<>(environment);
        more.put(name, value);
        return new Command(argv, stdin, stdinHeldOpen, more, directory, timeout);
    }

    public Command in(Path folder) {
        return new Command(argv, stdin, stdinHeldOpen, environment, Optional.of(folder), timeout);
    }

    public Command timeout(Duration limit) {
        return new Command(argv, stdin, stdinHeldOpen, environment, directory, limit);
    }

    /** The command line as a shell would show it, for failure messages. */
    public String display() {
        return String.join(" ", argv);
    }

    /**
     * Runs it to the end, or until the timeout kills it and its children ({@link Ran#timedOut()}).
     * A program that is not installed fails the test naming its Debian package ({@link Sh#requireCommand}).
     */
    public Ran run() {
        try (Started started = start()) {
            return started.waitFor(timeout);
        }
    }

    /** Starts it and returns at once; its output is captured until {@link Started#stop()}. */
    public Started start() {
        List<String> line = new java.util.ArrayList<>(argv);
        // daemons live in sbin folders that a test JVM's PATH may lack
        Sh.installed(argv.getFirst()).ifPresent(program -> line.set(0, program.toString()));
        ProcessBuilder builder = new ProcessBuilder(line);
        builder.environment().putAll(environment);
        directory.ifPresent(folder -> builder.directory(folder.toFile()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw Sh.missing(argv.getFirst(), e);
        }
        return new Started(this, process);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Command c && argv.equals(c.argv) && java.util.Arrays.equals(stdin, c.stdin)
                && stdinHeldOpen == c.stdinHeldOpen && environment.equals(c.environment) && directory.equals(c.directory)
                && timeout.equals(c.timeout);
    }

    @Override
    public int hashCode() {
        return argv.hashCode();
    }

    @Override
    public String toString() {
        return display();
    }
}
