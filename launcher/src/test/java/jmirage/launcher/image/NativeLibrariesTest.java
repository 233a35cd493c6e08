package jmirage.launcher.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import jmirage.core.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibrariesTest {

    private static final String SO = "META-INF/native/libnetty_transport_native_epoll_x86_64.so";

    @TempDir
    Path temp;

    @Test
    void onlyAJarOfNativeLibrariesAndNoClassIsTakenApart() throws IOException {
        assertEquals(Result.ok(true), NativeLibraries.nativeOnly(jar("epoll.jar", Map.of(SO, "ELF", "META-INF/versions/11/module-info.class", ""))));
        assertEquals(Result.ok(false), NativeLibraries.nativeOnly(jar("classes.jar", Map.of(SO, "ELF", "io/netty/Epoll.class", ""))),
                "a jar with classes stays on the class path, its libraries in it");
        assertEquals(Result.ok(false), NativeLibraries.nativeOnly(jar("plain.jar", Map.of("META-INF/MANIFEST.MF", ""))));
        assertEquals(Result.ok(false), NativeLibraries.nativeOnly(jar("nested.jar", Map.of("META-INF/native/x86/lib.so", "ELF"))),
                "a library in a folder under META-INF/native is not one Netty loads by name");
    }

    @Test
    void theLibrariesGoIntoAFolderNamedAfterTheJarAndAreCheckedByteForByte() throws IOException {
        Path jar = jar("netty-transport-native-epoll-4.2.18.Final-linux-x86_64.jar",
                Map.of(SO, "the library", "META-INF/maven/io.netty/netty-transport-native-epoll/pom.properties", "version=4.2.18.Final"));
        Path lib = Files.createDirectories(temp.resolve("image/lib"));

        Path folder = ((Result.Ok<Path, ImageError>) NativeLibraries.extract(jar, lib)).value();
        assertEquals(lib.resolve("native/netty-transport-native-epoll-4.2.18.Final-linux-x86_64"), folder);
        assertEquals(List.of("libnetty_transport_native_epoll_x86_64.so"), Files.list(folder).map(f -> f.getFileName().toString()).toList());
        assertEquals("the library", Files.readString(folder.resolve("libnetty_transport_native_epoll_x86_64.so")));
        assertEquals(DirImage.JAR_TIME, Files.getLastModifiedTime(folder.resolve("libnetty_transport_native_epoll_x86_64.so")));
        assertTrue(NativeLibraries.holds(lib, jar));
        assertEquals(List.of(folder.resolve("libnetty_transport_native_epoll_x86_64.so")), NativeLibraries.inImage(lib));
        assertEquals(Optional.of(jar.getFileName().toString()),
                NativeLibraries.jarOf(lib, folder.resolve("libnetty_transport_native_epoll_x86_64.so")));
        assertEquals(Optional.empty(), NativeLibraries.jarOf(lib, lib.resolve("native/stray.so")));
        assertArrayEquals("the library".getBytes(StandardCharsets.UTF_8),
                NativeLibraries.entry(jar, "libnetty_transport_native_epoll_x86_64.so").orElseThrow());
        assertEquals(Optional.empty(), NativeLibraries.entry(jar, "libother.so"));

        Files.writeString(folder.resolve("libnetty_transport_native_epoll_x86_64.so"), "the library, changed");
        assertFalse(NativeLibraries.holds(lib, jar), "a changed byte");
        Files.writeString(folder.resolve("libnetty_transport_native_epoll_x86_64.so"), "the library");
        Files.writeString(folder.resolve("libextra.so"), "x");
        assertFalse(NativeLibraries.holds(lib, jar), "a file the jar does not hold");
    }

    private Path jar(String name, Map<String, String> entries) throws IOException {
        Path file = temp.resolve(name);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (var entry : new LinkedHashMap<>(entries).entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return file;
    }
}
