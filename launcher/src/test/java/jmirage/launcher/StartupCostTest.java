package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What echo's boot does not load (issue 18): Netty's allocator starts the JDK's Flight Recorder for
 * its JFR events unless {@code io.netty.jfr.enabled} is false, which {@code Main} sets by default.
 * Each case boots echo in a child JVM that logs every class it loads, and answers one connection
 * (the allocator starts with the first buffer).
 */
class StartupCostTest {

    /** Loaded when a JFR event type is registered, as Netty's are; not by JFR's availability check. */
    private static final String JFR_REGISTRATION = "jdk.jfr.internal.TypeLibrary ";

    private static String classesLoadedByEchoAnswering(List<String> jvmOptions, int portBase) throws Exception {
        List<String> options = new ArrayList<>(List.of("-Xlog:class+load=info:stdout"));
        options.addAll(jvmOptions);
        try (ChildLauncher echo = new ChildLauncher(List.of(), options,
                "run", "echo", "--listen", "127.18.2.3", "--port-base", Integer.toString(portBase))) {
            echo.awaitLine("serving echo");
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.18.2.3", portBase + 7), 5_000);
                s.setSoTimeout(5_000);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                out.write('x');
                out.flush();
                assertEquals('x', in.read());
            }
            assertEquals(0, echo.terminate(), echo.output());
            return echo.output();
        }
    }

    @Test
    void echoAnswersWithoutRegisteringNettysFlightRecorderEvents() throws Exception {
        String loaded = classesLoadedByEchoAnswering(List.of(), 27800);
        assertTrue(loaded.contains("io.netty.channel"), "the class log is not there:\n" + loaded);
        assertFalse(loaded.contains(JFR_REGISTRATION), "echo's boot registered JFR event types");
    }

    @Test
    void anOperatorWhoAsksForNettysEventsGetsThem() throws Exception {
        String loaded = classesLoadedByEchoAnswering(List.of("-Dio.netty.jfr.enabled=true"), 27820);
        assertTrue(loaded.contains(JFR_REGISTRATION), "Netty's JFR events were not registered");
    }
}
