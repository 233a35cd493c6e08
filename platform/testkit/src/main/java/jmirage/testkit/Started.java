package jmirage.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running {@link Command}: a server peer (nsd, knotd, openssl s_server, socat) or a child JVM.
 * Its stdout and stderr are drained as they come by their own threads (a full pipe never stalls
 * it) and its stdin is fed by another (a process that never reads cannot stall the test).
 * {@link #stop()} ends it and every process it started.
 */
public final class Started implements AutoCloseable {

    /** How long a process gets after SIGTERM before SIGKILL, and the pumps to drain after it ends. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final Command command;
    private final Process process;
    private final Pump stdout;
    private final Pump stderr;
    private final OutputStream stdin;

    Started(Command command, Process process) {
        this.command = command;
        this.process = process;
        this.stdout = new Pump(process.getInputStream(), "stdout of " + command.display());
        this.stderr = new Pump(process.getErrorStream(), "stderr of " + command.display());
        this.stdin = process.getOutputStream();
        if (!command.stdinHeldOpen()) {
            feed(stdin, command.stdin());
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What it has written to stdout so far, as UTF-8. */
    public String out() {
        return new String(stdout.bytes(), StandardCharsets.UTF_8);
    }

    /** What it has written to stderr so far, as UTF-8. */
    public String err() {
        return new String(stderr.bytes(), StandardCharsets.UTF_8);
    }

    /**
     * Waits until {@code marker} shows on stdout or stderr (also after it exited: what it printed
     * last is drained first); fails if it exits without printing it or the limit passes.
     */
    public void awaitOutput(String marker, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!printed(marker)) {
            if (!process.isAlive()) {
                long drained = System.nanoTime() + GRACE.toNanos();
                stdout.await(drained);
                stderr.await(drained);
                if (printed(marker)) {
                    return;
                }
                throw new AssertionError(command.display() + " exited " + process.exitValue() + " before printing '" + marker
                        + "'\nstdout: " + out() + "\nstderr: " + err());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(command.display() + " printed no '" + marker + "' within " + limit
                        + "\nstdout: " + out() + "\nstderr: " + err());
            }
            Thread.sleep(10);
        }
    }

    private boolean printed(String marker) {
        return out().contains(marker) || err().contains(marker);
    }

    /** Waits for it to end by itself within {@code limit}; past it, kills the process tree. */
    public Ran waitFor(Duration limit) {
        boolean ended = waitUninterruptibly(process, limit);
        if (!ended) {
            kill(process.toHandle().descendants().toList(), true);
        }
        return finish(!ended);
    }

    /** Ends it and its children (SIGTERM, then SIGKILL after a grace period) and returns what it said. */
    public Ran stop() {
        if (process.isAlive()) {
            List<ProcessHandle> survivors = kill(process.toHandle().descendants().toList(), false);
            kill(survivors, true);
        }
        return finish(false);
    }

    /**
     * SIGKILL to it and its children at once, as a power cut would: no shutdown hook runs. What it
     * had written before still drains from the pipes and is in the result.
     */
    public Ran kill() {
        kill(process.toHandle().descendants().toList(), true);
        return finish(false);
    }

    /** Stops it if it is still running. */
    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }

    private Ran finish(boolean timedOut) {
        waitUninterruptibly(process, GRACE);
        close(stdin); // held open until now, or already closed
        // a child that escaped the kill may hold the pipes open: take what came, do not wait for EOF
        long deadline = System.nanoTime() + GRACE.toNanos();
        stdout.await(deadline);
        stderr.await(deadline);
        int exit = process.isAlive() ? -1 : process.exitValue();
        return new Ran(command.display(), exit, stdout.bytes(), stderr.bytes(), timedOut);
    }

    /**
     * Signals the descendants (a snapshot taken while the parent still holds them) and the process
     * itself, waits a grace period for them all to be gone, and returns those still there.
     */
    private List<ProcessHandle> kill(List<ProcessHandle> descendants, boolean forcibly) {
        List<ProcessHandle> tree = new ArrayList<>(descendants);
        // the handle, not Process.destroy: that would close our ends of its pipes before they drain
        tree.add(process.toHandle());
        tree.forEach(member -> {
            if (forcibly) {
                member.destroyForcibly();
            } else {
                member.destroy();
            }
        });
        long deadline = System.nanoTime() + GRACE.toNanos();
        for (ProcessHandle member : tree) {
            try {
                member.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException stillThere) {
                // a SIGTERM it ignores: stop() follows with SIGKILL; after SIGKILL only the kernel is late
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return tree.stream().filter(ProcessHandle::isAlive).toList();
    }

    private static boolean waitUninterruptibly(Process process, Duration limit) {
        try {
            return process.waitFor(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static void feed(OutputStream stdin, byte[] input) {
        if (input.length == 0) {
            close(stdin);
            return;
        }
        Thread.ofPlatform().daemon().name("stdin feeder").start(() -> {
            try (stdin) {
                stdin.write(input);
            } catch (IOException exitedWithoutReading) {
                // the process ended (or was killed) before reading all of it: its status and output tell why
            }
        });
    }

    private static void close(OutputStream stdin) {
        try {
            stdin.close();
        } catch (IOException alreadyGone) {
            // the process has already ended: nothing to close
        }
    }

    /** Drains one output pipe of the process into memory, on its own thread. */
    private static final class Pump {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final Thread thread;

        Pump(InputStream in, String name) {
            thread = Thread.ofPlatform().daemon().name(name).start(() -> {
                byte[] chunk = new byte[8192];
                try (in) {
                    for (int n; (n = in.read(chunk)) >= 0; ) {
                        synchronized (buffer) {
                            buffer.write(chunk, 0, n);
                        }
                    }
                } catch (IOException pipeClosed) {
                    // the process and its children are gone: what was read is all there is
                }
            });
        }

        byte[] bytes() {
            synchronized (buffer) {
                return buffer.toByteArray();
            }
        }

        void await(long deadlineNanos) {
            try {
                thread.join(Duration.ofNanos(Math.max(1, deadlineNanos - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
