package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.Slf4JLoggerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import jmirage.core.Clock;
import jmirage.core.LogLevel;
import jmirage.host.HostClock;
import java.time.Duration;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Issue 14, item 8: what Netty, JGit and the JDK log comes out in the unikernel's format, with the library as source. */
class LibraryLogTest {

    private static final Instant NOW = Instant.parse("2026-12-06T02:00:00.123Z");
    private static final Clock FIXED = new Clock() {
        @Override
        public Instant now() {
            return NOW;
        }

        @Override
        public long monotonicNanos() {
            return 0;
        }
    };

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private List<String> lines() {
        return printed.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @AfterEach
    void backToTheDefault() {
        LibraryLog.configure(LogLevel.WARN, new HostClock(), System.out);
    }

    @Test
    void slf4jIsBoundToOurProvider() {
        assertInstanceOf(LibraryLoggerProvider.LibraryLogger.class, LoggerFactory.getLogger("org.eclipse.jgit.util.FS"));
    }

    @Test
    void jgitWarningsAreOurWarningsWithSourceJgit() {
        LibraryLog.configure(LogLevel.INFO, FIXED, new PrintStream(printed, true, StandardCharsets.UTF_8));
        var jgit = LoggerFactory.getLogger("org.eclipse.jgit.internal.storage.file.FileSnapshot");
        jgit.warn("could not read {} ({} bytes)", "packed-refs", 12);
        jgit.debug("not printed at info");
        jgit.error("failed", new IOException("disk full"));
        assertEquals(List.of(
                "2026-12-06T02:00:00.123Z warn jgit: could not read packed-refs (12 bytes)",
                "2026-12-06T02:00:00.123Z error jgit: failed: java.io.IOException: disk full"), lines());
    }

    @Test
    void nettyThroughItsSlf4jFactoryKeepsDebugAsDebug() {
        InternalLoggerFactory.setDefaultFactory(Slf4JLoggerFactory.INSTANCE);
        LibraryLog.configure(LogLevel.DEBUG, FIXED, new PrintStream(printed, true, StandardCharsets.UTF_8));
        var netty = InternalLoggerFactory.getInstance("io.netty.channel.socket.nio.NioDatagramChannel");
        netty.debug("a detail");
        netty.warn("A non-root user can't receive a broadcast packet if the socket is not bound to a wildcard address");
        assertEquals(List.of(
                "2026-12-06T02:00:00.123Z debug netty: a detail",
                "2026-12-06T02:00:00.123Z warn netty: A non-root user can't receive a broadcast packet if the socket"
                        + " is not bound to a wildcard address"), lines());
    }

    @Test
    void theJdksSystemLoggerToo() {
        LibraryLog.configure(LogLevel.WARN, FIXED, new PrintStream(printed, true, StandardCharsets.UTF_8));
        System.Logger jdk = new LibrarySystemLoggerFinder().getLogger("jdk.internal.httpclient.debug", Object.class.getModule());
        jdk.log(System.Logger.Level.WARNING, "slow {0}", "peer");
        jdk.log(System.Logger.Level.INFO, "not printed at warn");
        assertEquals(List.of("2026-12-06T02:00:00.123Z warn jdk: slow peer"), lines());
        assertInstanceOf(LibrarySystemLoggerFinder.class, System.LoggerFinder.getLoggerFinder());
    }

    /** In this JVM {@code java.util.logging} already runs (JUnit uses it): configured at once. */
    @Test
    void javaUtilLoggingToo() {
        new LibraryJulHandler.Configuration();
        LibraryLog.configure(LogLevel.WARN, FIXED, new PrintStream(printed, true, StandardCharsets.UTF_8));
        java.util.logging.Logger jsse = java.util.logging.Logger.getLogger("org.bouncycastle.jsse.provider.ProvTlsClient");
        jsse.warning("no usable cipher suite");
        jsse.info("not printed at warn");
        jsse.log(java.util.logging.Level.SEVERE, "handshake with {0} failed", "peer");
        assertEquals(List.of(
                "2026-12-06T02:00:00.123Z warn bouncycastle: no usable cipher suite",
                "2026-12-06T02:00:00.123Z error bouncycastle: handshake with peer failed"), lines());
    }

    /**
     * In a JVM of its own, as the launcher starts it: when a library first logs through {@code
     * java.util.logging}, its records are ours, at the threshold of that moment and then at each
     * new one, and the JDK's console handler is not there.
     */
    @Test
    void javaUtilLoggingFromItsFirstUseInAJvmOfItsOwn() {
        Ran child = Command.of(System.getProperty("java.home") + "/bin/java", "-cp", System.getProperty("java.class.path"),
                JulFirstUse.class.getName()).timeout(Duration.ofSeconds(60)).run();
        assertEquals(0, child.exit(), child.out() + child.err());
        List<String> lines = child.out().lines().toList();
        assertEquals(4, lines.size(), child.out());
        assertTrue(lines.get(0).matches("\\S+Z info bouncycastle: first use at info"), lines.get(0));
        assertTrue(lines.get(1).matches("\\S+Z warn bouncycastle: a warning at warn"), lines.get(1));
        assertTrue(lines.get(2).matches("\\S+Z debug jdk: a detail at debug: java.io.IOException: reset"), lines.get(2));
        assertEquals("root handlers: " + LibraryJulHandler.class.getName(), lines.get(3));
        assertEquals("", child.err());
    }

    /**
     * A real Netty warning in a booting unikernel: a malformed {@code -Dio.netty.machineId}, read when
     * the first channel is made. Every line the child prints, on standard output or error, is ours.
     */
    @Test
    void aNettyWarningInABootingUnikernelHasOurFormat() throws Exception {
        int base = HostRunnerProcessTest.freePortBase();
        List<String> withProperty = List.of("sh", "-c", "exec \"$0\" -Dio.netty.machineId=zz \"$@\"");
        try (ChildLauncher child = new ChildLauncher(withProperty, "run", "echo", "--port-base", Integer.toString(base))) {
            child.awaitLine("serving echo on " + (base + 7));
            assertEquals(0, child.terminate());
            List<String> lines = child.lines();
            assertTrue(lines.stream().anyMatch(l -> l.matches(
                    "\\S+Z warn netty: -Dio\\.netty\\.machineId: zz \\(malformed\\).*")), String.join("\n", lines));
            for (String line : lines) {
                assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\dT\\S+Z (debug|info|warn|error) [\\w.-]+: .*"),
                        "in the unikernel's format: " + line);
            }
        }
    }
}
