package jmirage.launcher.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@link JarUse} reads the JVM's logs and the jars, on samples: the image tests' acceptance rests on it. */
class JarUseTest {

    @TempDir
    Path temp;

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
    void aJarOfOnlyANativeLibraryIsUsedWhenNettysTemporaryCopyOfItWasLoaded() throws IOException {
        Set<String> loaded = JarUse.loadedLibraries("""
                [0.029s][info][library] Loaded library /usr/lib/jvm/x/lib/libnio.so, handle 0x00007fe1700b9740
                [0.322s][info][library] Loaded library /tmp/libnetty_transport_native_epoll_x86_6410606177813597165215.so, handle 0x1
                [0.322s][info][library] Failed to find JNI_OnLoad_netty_transport_native_epoll_x86_64 in library with handle 0x1
                """);
        assertEquals(Set.of("libnio.so", "libnetty_transport_native_epoll_x86_6410606177813597165215.so"), loaded);

        Path epoll = jar("epoll.jar", List.of("META-INF/native/libnetty_transport_native_epoll_x86_64.so", "META-INF/versions/11/module-info.class"));
        assertTrue(JarUse.nativeLibraryLoaded(epoll, loaded));
        assertFalse(JarUse.nativeLibraryLoaded(epoll, Set.of("libnio.so")));
        Path withClasses = jar("classes.jar", List.of("META-INF/native/libnetty_transport_native_epoll_x86_64.so", "io/netty/Epoll.class"));
        assertFalse(JarUse.nativeLibraryLoaded(withClasses, loaded), "a jar with classes is used by its classes only");
    }

    @Test
    void theArtifactIdIsWhatPrecedesTheVersionInMavensFileName() {
        assertEquals("netty-transport-native-epoll", JarUse.artifactId("netty-transport-native-epoll-4.2.18.Final-linux-x86_64.jar"));
        assertEquals("bcprov-jdk18on", JarUse.artifactId("bcprov-jdk18on-1.83.jar"));
        assertEquals("org.eclipse.jgit", JarUse.artifactId("org.eclipse.jgit-7.8.1.202611041320-r.jar"));
        assertEquals("core", JarUse.artifactId("core-0.1.0-SNAPSHOT.jar"));
        assertEquals("launcher", JarUse.artifactId("launcher.jar"));
    }

    private Path jar(String name, List<String> entries) throws IOException {
        Path file = temp.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String entry : entries) {
                zip.putNextEntry(new ZipEntry(entry));
                zip.closeEntry();
            }
        }
        return file;
    }
}
