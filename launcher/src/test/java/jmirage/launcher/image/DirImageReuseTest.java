package jmirage.launcher.image;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import jmirage.core.Compilation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the oci and vm formats may pack the dir image already there ({@link DirImage#isCurrent}), on small files: no build needed. */
class DirImageReuseTest {

    @TempDir
    Path root;
    ImageRequest request;
    Path target;
    Path image;

    @BeforeEach
    void aBuildAndItsDirImage() throws IOException {
        target = Files.createDirectories(root.resolve("launcher/target/lib"));
        jar(root.resolve("launcher/target/launcher.jar"), Map.of(ImageJars.LISTING, "lib/core.jar:lib/epoll-1.jar"));
        jar(target.resolve("core.jar"), Map.of("core.txt", "1"));
        jar(target.resolve("epoll-1.jar"), Map.of("META-INF/native/libepoll.so", "ELF 1"));
        jar(target.resolve("examples.jar"), Map.of(ImageJars.PROVIDERS, "example.Echo\n"));
        request = new ImageRequest("echo", 32, 32, Compilation.TIERED, "example.Echo", root, Path.of(System.getProperty("java.home")), "127.0.0.1",
                new PrintWriter(new StringWriter()));
        image = request.output(DirImage.NAME);
        Files.createDirectories(image.resolve("lib"));
        Files.createDirectories(image.resolve("bin"));
        Files.writeString(image.resolve("bin/echo"), "#!/bin/sh\n");
        Files.writeString(image.resolve("echo.aot"), "cache");
        for (String name : new String[] {"core.jar", "examples.jar"}) {
            Files.copy(target.resolve(name), image.resolve("lib").resolve(name));
        }
        Files.copy(root.resolve("launcher/target/launcher.jar"), image.resolve("lib/launcher.jar"));
        Files.writeString(Files.createDirectories(image.resolve("lib/native/epoll-1")).resolve("libepoll.so"), "ELF 1");
    }

    @Test
    void theDirImageOfTheSameJarsWithItsCacheIsReused() {
        assertTrue(DirImage.isCurrent(request));
    }

    @Test
    void aJarBuiltAgainDifferentlyMakesItStale() throws IOException {
        jar(target.resolve("core.jar"), Map.of("core.txt", "2"));
        assertFalse(DirImage.isCurrent(request));
    }

    @Test
    void aJarTheBuildNoLongerChoosesMakesItStale() throws IOException {
        Files.writeString(image.resolve("lib/old.jar"), "left over");
        assertFalse(DirImage.isCurrent(request));
    }

    @Test
    void aNativeLibraryBuiltAgainDifferentlyMakesItStale() throws IOException {
        jar(target.resolve("epoll-1.jar"), Map.of("META-INF/native/libepoll.so", "ELF 2"));
        assertFalse(DirImage.isCurrent(request));
    }

    @Test
    void aJarOfNativeLibrariesOnTheClassPathInsteadOfItsLibrariesMakesItStale() throws IOException {
        // an image built before native libraries were taken out of their jars
        Files.copy(target.resolve("epoll-1.jar"), image.resolve("lib/epoll-1.jar"));
        Files.delete(image.resolve("lib/native/epoll-1/libepoll.so"));
        Files.delete(image.resolve("lib/native/epoll-1"));
        Files.delete(image.resolve("lib/native"));
        assertFalse(DirImage.isCurrent(request));
    }

    @Test
    void anImageWithoutItsCacheIsNotReused() throws IOException {
        // A training run that failed or was interrupted leaves no cache.
        Files.delete(image.resolve("echo.aot"));
        assertFalse(DirImage.isCurrent(request));
    }

    private static void jar(Path file, Map<String, String> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
    }
}
