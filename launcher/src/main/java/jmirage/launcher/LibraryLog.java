package jmirage.launcher;

import java.io.PrintStream;
import jmirage.core.Clock;
import jmirage.core.LogLevel;
import jmirage.host.ConsoleLog;
import jmirage.host.HostClock;

/**
 * Where the libraries' own logging goes: Netty (through its SLF4J bridge), JGit (SLF4J), the
 * JDK's {@link System.Logger} and {@code java.util.logging} ({@link LibraryJulHandler}) all end here, and are printed by {@link ConsoleLog} in the unikernel's
 * one-line format, with the library as the source ({@code netty}, {@code jgit}, {@code jdk}).
 * Nothing a library logs reaches standard error in a format of its own.
 *
 * <p>The launcher sets the threshold from {@code --log-level} once parsed; before that (and in tests
 * that do not call {@link #configure}) only warnings and errors are printed.
 */
final class LibraryLog {

    private static volatile Sink sink = new Sink(LogLevel.WARN, new HostClock(), System.out);

    private record Sink(LogLevel threshold, Clock clock, PrintStream out) {}

    private LibraryLog() {}

    /** Library records at {@code threshold} and above are printed on {@code out}, stamped by {@code clock}. */
    static void configure(LogLevel threshold, Clock clock, PrintStream out) {
        sink = new Sink(threshold, clock, out);
        LibraryJulHandler.threshold(threshold);
    }

    static LogLevel threshold() {
        return sink.threshold();
    }

    static boolean enabled(LogLevel level) {
        return level.atLeast(sink.threshold());
    }

    /** One record from the logger named {@code loggerName} (a class name, usually). */
    static void log(String loggerName, LogLevel level, String message) {
        Sink current = sink;
        ConsoleLog.create(source(loggerName), current.threshold(), current.clock(), current.out()).log(level, message);
    }

    /** The library a logger belongs to, from its name; an unknown one keeps its name. */
    static String source(String loggerName) {
        if (loggerName.startsWith("io.netty.")) {
            return "netty";
        }
        if (loggerName.startsWith("org.eclipse.jgit.")) {
            return "jgit";
        }
        if (loggerName.startsWith("org.bouncycastle.")) {
            return "bouncycastle";
        }
        if (loggerName.startsWith("java.") || loggerName.startsWith("javax.")
                || loggerName.startsWith("jdk.") || loggerName.startsWith("sun.")) {
            return "jdk";
        }
        return loggerName;
    }

    /** A library's exception, as one line: its class and message, never a stack trace (STYLE.md, "Habits"). */
    static String withCause(String message, Throwable cause) {
        return cause == null ? message : message + ": " + cause;
    }
}
