package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code ./unikernel ARGS} as an operator runs it: the launcher in a child JVM, standard output and error collected line by line. */
final class ChildLauncher implements AutoCloseable {

    final Process process;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;

    ChildLauncher(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                System.getProperty("java.home") + "/bin/java",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the child went away; its exit status says the rest
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    /** Waits until a line holds {@code fragment} (30 s at most) and returns it. */
    String awaitLine(String fragment) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            boolean exited = !process.isAlive();
            if (exited) {
                reader.join(5000); // the last lines may still be in the pipe
            }
            synchronized (lines) {
                for (String l : lines) {
                    if (l.contains(fragment)) {
                        return l;
                    }
                }
            }
            if (exited) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no line with '" + fragment + "' in:\n" + output());
    }

    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** The exit status, once it has exited on its own (30 s at most); its output is all read. */
    int exitStatus() throws InterruptedException {
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "exited");
        reader.join(5000);
        return process.exitValue();
    }

    /** Sends a signal ({@code HUP}, {@code TERM}) with kill(1). */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + name);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
