package jmirage.pinata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real peers (openssl, socat, curl) as processes; a missing one fails the test (test-peers.txt). */
final class Peers {

    private Peers() {}

    record Run(int exit, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    static void require(String command, String debianPackage) {
        for (String dir : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return;
            }
        }
        throw new AssertionError("test peer '" + command + "' is missing: apt-get install " + debianPackage
                + " (btc-pinata/test-peers.txt)");
    }

    /** Runs to completion with {@code input} on stdin (then closed). */
    static Run run(List<String> command, byte[] input, Duration limit) throws Exception {
        Process p = new ProcessBuilder(command).start();
        Background out = new Background(p.getInputStream());
        Background err = new Background(p.getErrorStream());
        try {
            p.getOutputStream().write(input);
            p.getOutputStream().close();
        } catch (IOException ignored) {
            // the peer exited before reading its input; its output says why
        }
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.toHandle().destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError(command + " did not finish within " + limit + "; stderr: " + err.text());
        }
        out.join();
        err.join();
        return new Run(p.exitValue(), out.bytes(), err.text());
    }

    static Run run(List<String> command) throws Exception {
        return run(command, new byte[0], Duration.ofSeconds(30));
    }

    /** A long-running peer (s_server, socat) whose output is collected until it is stopped. */
    static final class Daemon implements AutoCloseable {
        final Process process;
        final Background out;
        final Background err;

        Daemon(List<String> command) throws IOException {
            process = new ProcessBuilder(command).start();
            out = new Background(process.getInputStream());
            err = new Background(process.getErrorStream());
        }

        /** Waits until {@code marker} shows on stdout or stderr. */
        void awaitOutput(String marker, Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (!out.text().contains(marker) && !err.text().contains(marker)) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new AssertionError("no '" + marker + "' from the peer; stdout: " + out.text() + " stderr: " + err.text());
                }
                Thread.sleep(10);
            }
        }

        /** Stops it and returns everything it printed. */
        byte[] stop() throws InterruptedException {
            process.toHandle().destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.toHandle().destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            out.join();
            err.join();
            return out.bytes();
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                stop();
            }
        }
    }

    /** Drains a stream on a thread (process pipes must be read or the child blocks). */
    static final class Background {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final Thread thread;

        Background(InputStream in) {
            thread = Thread.ofPlatform().daemon().start(() -> {
                byte[] b = new byte[8192];
                try {
                    int n;
                    while ((n = in.read(b)) > 0) {
                        synchronized (buffer) {
                            buffer.write(b, 0, n);
                        }
                    }
                } catch (IOException ignored) {
                    // the process went away
                }
            });
        }

        byte[] bytes() {
            synchronized (buffer) {
                return buffer.toByteArray();
            }
        }

        String text() {
            return new String(bytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }

        void join() throws InterruptedException {
            thread.join(5000);
        }
    }

    static List<String> cmd(String... parts) {
        return new ArrayList<>(List.of(parts));
    }
}
