package jmirage.dhcpd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jmirage.testkit.Command;
import jmirage.testkit.Started;

/** A shell of these tests ({@link HostServer}, {@link TapServer}) in a child JVM, as a killable process. */
final class ChildJvm {

    private ChildJvm() {}

    /**
     * Starts {@code main} with {@code args} in a JVM on this test's class path, through {@code wrapper}
     * ({@code ip netns exec NS}, or nothing), and returns once it printed READY (60 s at most); one
     * that never does is killed.
     */
    static Started startReady(List<String> wrapper, Class<?> main, String... args) throws InterruptedException {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Started started = Command.of(command).start();
        try {
            started.awaitOutput("READY", Duration.ofSeconds(60));
        } catch (AssertionError | InterruptedException | RuntimeException notReady) {
            started.kill();
            throw notReady;
        }
        return started;
    }
}
