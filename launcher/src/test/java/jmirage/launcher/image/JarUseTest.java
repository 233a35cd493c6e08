package jmirage.launcher.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How {@link JarUse} reads the JVM's logs and the jars' names, on samples: the image tests' acceptance rests on it. */
class JarUseTest {

    @Test
    void classesAreCountedForTheJarsOfLibOnlyNotTheCacheOrTheRuntime() {
        Path lib = Path.of("/img/lib");
        String log = """
                [0.010s][info][class,load] java.lang.Object source: shared objects file
                [0.011s][info][class,load] java.net.http.HttpClient source: jrt:/java.net.http
                [0.100s][info][class,load] jmirage.launcher.Main source: file:/img/lib/launcher.jar
                [0.101s][info][class,load] jmirage.launcher.Catalog source: file:/img/lib/launcher.jar
                [0.120s][info][class,load] io.netty.util.Version source: file:/img/lib/netty-common-4.2.18.Final.jar
                [0.130s][info][class,load] other.Thing source: file:/elsewhere/lib/x.jar
                """;
        assertEquals(Map.of("launcher.jar", 2, "netty-common-4.2.18.Final.jar", 1), JarUse.classesByJar(log, lib));
    }

    @Test
    void theNativeLibrariesLoadedAreTheFilesTheJvmNames() {
        Set<Path> loaded = JarUse.loadedLibraries("""
                [0.029s][info][library] Loaded library /usr/lib/jvm/x/lib/libnio.so, handle 0x00007fe1700b9740
                [0.322s][info][library] Loaded library /img/lib/native/netty-transport-native-epoll-4.2.18.Final-linux-x86_64/libnetty_transport_native_epoll_x86_64.so, handle 0x1
                [0.322s][info][library] Failed to find JNI_OnLoad_netty_transport_native_epoll_x86_64 in library with handle 0x1
                """);
        assertEquals(Set.of(Path.of("/usr/lib/jvm/x/lib/libnio.so"), Path.of("/img/lib/native/"
                + "netty-transport-native-epoll-4.2.18.Final-linux-x86_64/libnetty_transport_native_epoll_x86_64.so")), loaded);
    }

    @Test
    void theArtifactIdIsWhatPrecedesTheVersionInMavensFileName() {
        assertEquals("netty-transport-native-epoll", JarUse.artifactId("netty-transport-native-epoll-4.2.18.Final-linux-x86_64.jar"));
        assertEquals("bcprov-jdk18on", JarUse.artifactId("bcprov-jdk18on-1.83.jar"));
        assertEquals("org.eclipse.jgit", JarUse.artifactId("org.eclipse.jgit-7.8.1.202611041320-r.jar"));
        assertEquals("core", JarUse.artifactId("core-0.1.0-SNAPSHOT.jar"));
        assertEquals("launcher", JarUse.artifactId("launcher.jar"));
    }
}
