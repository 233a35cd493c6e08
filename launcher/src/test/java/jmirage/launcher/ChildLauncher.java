package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Started;

/**
 * {@code ./unikernel ARGS} as an operator runs it: the launcher in a child JVM, started through
 * testkit's runner (its stdout and stderr collected as they come), optionally through a wrapper
 * such as {@code ip netns exec NS}.
 */
final class ChildLauncher implements AutoCloseable {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    final Started process;

    ChildLauncher(String... args) {
        this(List.of(), args);
    }

    /** The launcher run through {@code wrapper} ({@code ip netns exec NS}, say). */
    ChildLauncher(List<String> wrapper, String... args) {
        this(wrapper, List.of(), args);
    }

    /** The launcher run through {@code wrapper}, its JVM given {@code jvmOptions} too. */
    ChildLauncher(List<String> wrapper, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(
                System.getProperty("java.home") + "/bin/java",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        process = Command.of(command).timeout(Duration.ofMinutes(10)).start();
    }

    /** Waits until a line holds {@code fragment} (30 s at most) and returns the first such line. */
    String awaitLine(String fragment) throws InterruptedException {
        process.awaitOutput(fragment, LIMIT);
        return lines().stream().filter(l -> l.contains(fragment)).findFirst().orElseThrow();
    }

    /** Everything it printed so far, stdout then stderr. */
    String output() {
        return process.out() + process.err();
    }

    /** Its lines so far, stdout's then stderr's. */
    List<String> lines() {
        List<String> lines = new ArrayList<>(Arrays.asList(process.out().split("\n", -1)));
        lines.addAll(Arrays.asList(process.err().split("\n", -1)));
        lines.removeIf(String::isEmpty);
        return lines;
    }

    /** The exit status, once it has exited on its own (30 s at most; past that the test fails). */
    int exitStatus() {
        Ran ended = process.waitFor(LIMIT);
        assertFalse(ended.timedOut(), "did not exit within " + LIMIT.toSeconds() + " s:\n" + output());
        return ended.exit();
    }

    /** SIGTERM, and its exit status (SIGKILL, 137, if it has not stopped within the runner's grace). */
    int terminate() {
        return process.stop().exit();
    }

    /** Sends a signal ({@code HUP}, {@code TERM}) with kill(1). */
    void signal(String name) {
        Command.of("kill", "-" + name, Long.toString(process.pid())).run().ok();
    }

    @Override
    public void close() {
        process.close();
    }
}
