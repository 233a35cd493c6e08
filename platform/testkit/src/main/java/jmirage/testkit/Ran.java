package jmirage.testkit;

import java.nio.charset.StandardCharsets;

/**
 * How a {@link Command} ended: its exit status, what it wrote to stdout and stderr (kept apart),
 * and whether the timeout killed it.
 *
 * @param command  the command line, for messages
 * @param exit     the exit status; meaningless when {@code timedOut}
 * @param stdout   every byte it wrote to standard output
 * @param stderr   every byte it wrote to standard error
 * @param timedOut true when it outlived its timeout and was killed with its children
 */
public record Ran(String command, int exit, byte[] stdout, byte[] stderr, boolean timedOut) {

    public Ran {
        stdout = stdout.clone();
        stderr = stderr.clone();
    }

    @Override
    public byte[] stdout() {
        return stdout.clone();
    }

    @Override
    public byte[] stderr() {
        return stderr.clone();
    }

    /** Standard output as UTF-8 text. */
    public String out() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** Standard error as UTF-8 text. */
    public String err() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    /** Standard output then standard error: for messages and for peers that mix them. */
    public String output() {
        return out() + err();
    }

    /** True when it ended by itself with status 0. */
    public boolean succeeded() {
        return !timedOut && exit == 0;
    }

    /** Fails the test unless it {@link #succeeded()}, with what it said; returns this for chaining. */
    public Ran ok() {
        if (!succeeded()) {
            throw new AssertionError(describe());
        }
        return this;
    }

    /** One paragraph for a failure message: the command, how it ended, and its output. */
    public String describe() {
        String ending = timedOut ? "timed out and was killed" : "exited " + exit;
        return command + " " + ending + "\nstdout: " + out() + "\nstderr: " + err();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Ran r && command.equals(r.command) && exit == r.exit && timedOut == r.timedOut
                && java.util.Arrays.equals(stdout, r.stdout) && java.util.Arrays.equals(stderr, r.stderr);
    }

    @Override
    public int hashCode() {
        return command.hashCode() * 31 + exit;
    }

    @Override
    public String toString() {
        return describe();
    }
}
