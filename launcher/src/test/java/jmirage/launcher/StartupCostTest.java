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
import jmirage.launcher.image.DirImage;
import org.junit.jupiter.api.Test;

/**
 * What echo's boot does not load (issue 18): Netty's allocator starts the JDK's Flight Recorder for
 * its JFR events unless {@code io.netty.jfr.enabled} is false, which {@code Main} sets by default;
 * {@code java.util.logging}; as an image boots it, no look for service providers through the jars.
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

    /**
     * Nothing on the way to echo's first answer sets up {@code java.util.logging}: its {@code
     * LogManager} looks for {@code System.LoggerFinder} providers through every jar as it starts.
     */
    @Test
    void echoAnswersWithoutSettingUpJavaUtilLogging() throws Exception {
        String loaded = classesLoadedByEchoAnswering(List.of(), 27840);
        assertTrue(loaded.contains("io.netty.channel"), "the class log is not there:\n" + loaded);
        assertFalse(loaded.contains("java.util.logging.LogManager "), "echo's boot set up java.util.logging");
    }

    /**
     * Booted as its image boots it (the options {@code DirImage} writes into {@code bin/echo}), echo
     * looks for no service provider on the class path on the way to its first answer: such a look
     * opens every jar of the class path (decision 23). Without those options the catalogue does.
     */
    @Test
    void echoBootedAsItsImageLooksThroughNoJar() throws Exception {
        String classPathLookup = "java.util.ServiceLoader$LazyClassPathLookupIterator ";
        List<String> asTheImage = DirImage.namedProviders("jmirage.examples.echo.Echo");
        assertTrue(asTheImage.stream().anyMatch(o -> o.startsWith("-Djava.nio.channels.spi.SelectorProvider=")), asTheImage::toString);
        String loaded = beforeShutdown(classesLoadedByEchoAnswering(asTheImage, 27860));
        assertTrue(loaded.contains("io.netty.channel"), "the class log is not there:\n" + loaded);
        assertFalse(loaded.contains(classPathLookup), "a service lookup through the class path:\n" + loaded);
        assertTrue(beforeShutdown(classesLoadedByEchoAnswering(List.of(), 27880)).contains(classPathLookup),
                "the catalogue's lookup was not seen");
    }

    /**
     * The classes loaded before the JVM began to exit: as it exits, the JDK logs {@code Runtime.exit}
     * through a {@code System.Logger}, whose finder it looks for then.
     */
    private static String beforeShutdown(String loaded) {
        int shutdown = loaded.indexOf(" java.lang.Shutdown ");
        assertTrue(shutdown > 0, "the exit is not in the class log");
        return loaded.substring(0, shutdown);
    }

    /**
     * No pattern {@code switch} runs on the way to echo's first answer, in the launcher, the boot
     * parameters' parser or echo: each generates a {@code $$TypeSwitch} class at its first run in
     * every process, which the image's AOT cache cannot keep (decision 23).
     */
    @Test
    void echoBootsAndAnswersWithoutGeneratingAPatternSwitchClass() throws Exception {
        String loaded = beforeShutdown(classesLoadedByEchoAnswering(List.of(), 27900));
        assertTrue(loaded.contains("io.netty.channel"), "the class log is not there:\n" + loaded);
        List<String> generated = loaded.lines().filter(l -> l.contains("$$TypeSwitch")).toList();
        assertEquals(List.of(), generated);
    }

    @Test
    void anOperatorWhoAsksForNettysEventsGetsThem() throws Exception {
        String loaded = classesLoadedByEchoAnswering(List.of("-Dio.netty.jfr.enabled=true"), 27820);
        assertTrue(loaded.contains(JFR_REGISTRATION), "Netty's JFR events were not registered");
    }
}
