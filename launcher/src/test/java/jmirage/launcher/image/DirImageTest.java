package jmirage.launcher.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jmirage.core.Compilation;
import jmirage.core.Unikernel;
import jmirage.examples.echo.Echo;
import jmirage.launcher.JvmSizing;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Started;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./unikernel image echo}: the dir image of the build's own jars (launcher/target, so this
 * runs after {@code package}: the launcher pom's "images" execution), booted from {@code bin/echo}.
 * About 40 s on a loaded two-core machine: jlink, then a training run, then a boot.
 */
@Tag("image")
class DirImageTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final String TRAINING = "127.18.1.3";
    static final String BOOT = "127.18.1.4";
    static final String EXERCISE = "127.18.1.6";

    /**
     * The jars of echo's image that the training's exercise does not reach, with what reaches them
     * (issue 18: every jar of an image is one the unikernel uses; {@link JarUse}).
     */
    static final Map<String, String> ECHO_REACHES_ELSEWHERE = Map.of(
            "net", "--target tap: the direct TCP/IP stack over a TAP device (the launcher's TapTarget); the exercise boots on the host target",
            "netty-resolver", "declared by netty-transport: name resolution for outbound connections; echo only accepts",
            "netty-codec-compression", "declared by netty-codec-http: content compression; the metrics endpoint answers uncompressed",
            "netty-handler", "declared by netty-codec-http; platform/host's UDP on NIO (its FlushConsolidationHandler), where epoll"
                    + " does not load: on epoll UDP sockets are the host's own (decision 33)");

    @TempDir
    Path temp;
    static final int HEAP = new Echo().heapMiB();

    @Test
    void theDirImageOfEchoBootsFromItsAotCacheOnAJlinkRuntimeOfTheModulesJdepsFound() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = ImageCommand.run(List.of("echo", "--format", "dir", "--train-on", TRAINING), name -> name.equals("echo") ? Optional.<Unikernel<?, ?>>of(new Echo()) : Optional.empty(), ROOT,
                Path.of(System.getProperty("java.home")), new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, status, out + "\n" + err);
        Path image = ROOT.resolve("target/images/echo/dir");
        assertTrue(Files.isRegularFile(image.resolve("echo.aot")), "no AOT cache in " + image);
        String script = Files.readString(image.resolve("bin/echo"));
        assertTrue(script.contains(" -Xmx" + HEAP + "m ") && script.contains("run echo \"$@\"")
                && script.contains("initial=" + JvmSizing.initialHeapOption(new Echo().initialHeapMiB()) + "\n"), script);

        // The runtime holds the modules jdeps found and the modules they require, nothing else.
        List<Path> jars;
        try (Stream<Path> lib = Files.list(image.resolve("lib"))) {
            jars = lib.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
        // Netty's epoll library out of its jar, named to the JVM (JarUse, below, checks that it is the one loaded).
        assertTrue(jars.stream().noneMatch(j -> j.getFileName().toString().startsWith("netty-transport-native-epoll")), jars.toString());
        try (Stream<Path> libraries = Files.walk(image.resolve("lib/native"))) {
            assertEquals(List.of("libnetty_transport_native_epoll_x86_64.so"), libraries.filter(Files::isRegularFile)
                    .filter(f -> f.getParent().getFileName().toString().matches("netty-transport-native-epoll-.*-linux-x86_64"))
                    .map(f -> f.getFileName().toString()).toList());
        }
        assertTrue(script.contains(" \"-Djava.library.path=$here/lib/native/netty-transport-native-epoll-"), script);
        ImageRequest request = new ImageRequest("echo", HEAP, new Echo().initialHeapMiB(), Compilation.TIERED, Echo.class.getName(), ROOT, Path.of(System.getProperty("java.home")), TRAINING,
                new PrintWriter(new StringWriter()));
        List<String> found = DirImage.modules(request, jars).orElseThrow(e -> new IllegalStateException(e.describe()));
        assertTrue(found.contains("java.base") && !found.contains("java.compiler"), "jdeps found " + found);
        Ran listed = Command.of(image.resolve("runtime/bin/java").toString(), "--list-modules").run();
        assertEquals(0, listed.exit(), listed.err());
        Set<String> inRuntime = Arrays.stream(listed.out().split("\n")).map(l -> l.strip().split("@")[0])
                .filter(l -> !l.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(closure(found), inRuntime);

        // -XX:AOTMode=on: the JVM refuses to start rather than boot without the cache.
        try (Started echo = Command.of(image.resolve("bin/echo").toString(), "--listen", BOOT, "--port-base", "20000")
                .env("JMIRAGE_JAVA_OPTS", "-XX:AOTMode=on").timeout(Duration.ofMinutes(2)).start()) {
            echo.awaitOutput("serving echo", Duration.ofSeconds(30));
            byte[] line = "through the image\n".getBytes(StandardCharsets.US_ASCII);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.ofLiteral(BOOT), 20007), 5000);
                socket.setSoTimeout(10000);
                socket.getOutputStream().write(line);
                assertArrayEquals(line, socket.getInputStream().readNBytes(line.length));
            }
            assertEquals(0, echo.stop().exit(), echo.out() + echo.err());
        }

        // Only jars echo uses: the launcher's, examples' and what they need (decision 15), none of another unikernel's.
        JarUse.assertEveryJarUsed(image, "echo", EXERCISE, temp, ECHO_REACHES_ELSEWHERE);
    }

    /** The modules {@code roots} need at run time: themselves and what they require, transitively. */
    static Set<String> closure(List<String> roots) {
        ModuleFinder system = ModuleFinder.ofSystem();
        Set<String> seen = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (seen.add(name)) {
                ModuleDescriptor descriptor = system.find(name).orElseThrow().descriptor();
                descriptor.requires().stream()
                        .filter(r -> !r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
                        .forEach(r -> todo.push(r.name()));
            }
        }
        return seen;
    }
}
