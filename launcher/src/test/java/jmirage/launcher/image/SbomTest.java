package jmirage.launcher.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import jmirage.acme.json.Json;
import jmirage.acme.json.JsonParser;
import jmirage.core.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SbomTest {

    @TempDir
    Path image;

    @TempDir
    Path repository;

    @Test
    void everyJarNativeLibraryAndJdkModuleIsAComponentWithItsCoordinatesAndDigest() throws IOException {
        anImage();
        Json.Obj bom = written();

        assertEquals("CycloneDX", bom.string("bomFormat").orElseThrow());
        assertEquals("1.6", bom.string("specVersion").orElseThrow());
        Json.Obj subject = bom.object("metadata").orElseThrow().object("component").orElseThrow();
        assertEquals("echo", subject.string("name").orElseThrow());
        assertEquals("0.1.0-SNAPSHOT", subject.string("version").orElseThrow());

        List<Json.Obj> components = objects(bom.array("components").orElseThrow());
        assertEquals(List.of("pkg:maven/jmirage/launcher@0.1.0-SNAPSHOT",
                        "pkg:maven/org.slf4j/slf4j-api@2.0.20",
                        "pkg:maven/org.threeten/threeten-extra@1.8.0",
                        "pkg:maven/io.netty/netty-transport-native-epoll@4.2.18.Final?classifier=linux-x86_64"),
                components.stream().limit(4).map(c -> c.string("purl").orElseThrow()).toList());
        Json.Obj epoll = components.get(3);
        assertEquals("io.netty", epoll.string("group").orElseThrow());
        assertEquals("netty-transport-native-epoll", epoll.string("name").orElseThrow());
        assertEquals("pkg:maven/io.netty/netty-transport-native-epoll@4.2.18.Final?classifier=linux-x86_64"
                + "#META-INF/native/libnetty_transport_native_epoll_x86_64.so", epoll.string("bom-ref").orElseThrow());
        assertEquals(Sbom.sha256(image.resolve("lib/native/" + EPOLL_STEM + "/libnetty_transport_native_epoll_x86_64.so")),
                objects(epoll.array("hashes").orElseThrow()).getFirst().string("content").orElseThrow());
        Json.Obj ancestor = objects(epoll.object("pedigree").orElseThrow().array("ancestors").orElseThrow()).getFirst();
        assertEquals(Sbom.sha256(repository.resolve("io/netty/netty-transport-native-epoll/4.2.18.Final/" + EPOLL_STEM + ".jar")),
                objects(ancestor.array("hashes").orElseThrow()).getFirst().string("content").orElseThrow(),
                "the jar the library was taken from");

        Json.Obj jdk = components.get(4);
        assertEquals("platform", jdk.string("type").orElseThrow());
        assertEquals("25.0.3", jdk.string("version").orElseThrow());
        assertEquals(Sbom.sha256(image.resolve("runtime/lib/modules")),
                objects(jdk.array("hashes").orElseThrow()).getFirst().string("content").orElseThrow());
        assertEquals(List.of("java.base", "java.naming", "jdk.unsupported"),
                objects(jdk.array("components").orElseThrow()).stream().map(m -> m.string("name").orElseThrow()).toList());
    }

    @Test
    void theSameImageGivesTheSameBytesAndAChangedJarAnotherSerialNumber() throws IOException {
        anImage();
        String first = Files.readString(writtenFile());
        assertEquals(first, Files.readString(writtenFile()));
        assertTrue(first.contains("\"serialNumber\":\"urn:uuid:"), first);

        jar("slf4j-api-2.0.20.jar", "org.slf4j", "slf4j-api", "2.0.20", "changed");
        String second = Files.readString(writtenFile());
        assertNotEquals(serial(first), serial(second));
    }

    @Test
    void aJarWithoutMavenCoordinatesIsRefusedNamingIt() throws IOException {
        anImage();
        Path lib = image.resolve("lib");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(lib.resolve("mystery.jar")))) {
            out.putNextEntry(new JarEntry("a/B.class"));
        }
        ImageError.Unaccounted error = assertInstanceOf(ImageError.Unaccounted.class,
                ((Result.Err<Path, ImageError>) Sbom.write("echo", image, image, repository)).error());
        assertTrue(error.file().endsWith("mystery.jar"), error.file());
        assertEquals("it holds no META-INF/maven/**/pom.properties, and " + repository
                + " has no file of its name and bytes", error.reason());
    }

    @Test
    void aNativeLibraryNoJarOfTheRepositoryHoldsIsRefusedNamingIt() throws IOException {
        anImage();
        Path library = image.resolve("lib/native/" + EPOLL_STEM + "/libnetty_transport_native_epoll_x86_64.so");
        Files.writeString(library, "another library");
        ImageError.Unaccounted error = assertInstanceOf(ImageError.Unaccounted.class,
                ((Result.Err<Path, ImageError>) Sbom.write("echo", image, image, repository)).error());
        assertEquals(library.toString(), error.file());
        assertEquals(repository + " has no " + EPOLL_STEM + ".jar whose META-INF/native/libnetty_transport_native_epoll_x86_64.so"
                + " has these bytes", error.reason());
    }

    private static final String EPOLL_STEM = "netty-transport-native-epoll-4.2.18.Final-linux-x86_64";

    private void anImage() throws IOException {
        jar("launcher.jar", "jmirage", "launcher", "0.1.0-SNAPSHOT", "main");
        jar("slf4j-api-2.0.20.jar", "org.slf4j", "slf4j-api", "2.0.20", "slf4j");
        // Netty's epoll library as DirImage leaves it: out of its jar, which is in the repository.
        Path epollJar = Files.createDirectories(repository.resolve("io/netty/netty-transport-native-epoll/4.2.18.Final"))
                .resolve(EPOLL_STEM + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(epollJar))) {
            out.putNextEntry(new JarEntry("META-INF/maven/io.netty/netty-transport-native-epoll/pom.properties"));
            out.write("artifactId=netty-transport-native-epoll\ngroupId=io.netty\nversion=4.2.18.Final\n".getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new JarEntry("META-INF/native/libnetty_transport_native_epoll_x86_64.so"));
            out.write("the library".getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(Files.createDirectories(image.resolve("lib/native/" + EPOLL_STEM))
                .resolve("libnetty_transport_native_epoll_x86_64.so"), "the library");
        // Without pom.properties, as Bouncy Castle's jars are: named by the same bytes in the repository.
        Path bare = Files.createDirectories(image.resolve("lib")).resolve("threeten-extra-1.8.0.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(bare))) {
            out.putNextEntry(new JarEntry("org/threeten/extra/Days.class"));
        }
        Path inRepository = Files.createDirectories(repository.resolve("org/threeten/threeten-extra/1.8.0"));
        Files.copy(bare, inRepository.resolve(bare.getFileName()));
        Path runtime = Files.createDirectories(image.resolve("runtime/lib"));
        Files.writeString(image.resolve("runtime/release"),
                "JAVA_VERSION=\"25.0.3\"\nMODULES=\"java.base java.naming jdk.unsupported\"\n");
        Files.writeString(runtime.resolve("modules"), "the jimage");
    }

    /** A jar that holds {@code pom.properties} as Maven writes it, and one entry of {@code content}. */
    private void jar(String name, String group, String artifact, String version, String content) throws IOException {
        Path lib = Files.createDirectories(image.resolve("lib"));
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(lib.resolve(name)))) {
            out.putNextEntry(new JarEntry("META-INF/maven/" + group + "/" + artifact + "/pom.properties"));
            out.write(("artifactId=" + artifact + "\ngroupId=" + group + "\nversion=" + version + "\n").getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new JarEntry("content.txt"));
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }

    private Path writtenFile() {
        return ((Result.Ok<Path, ImageError>) Sbom.write("echo", image, image, repository)).value();
    }

    private Json.Obj written() throws IOException {
        return (Json.Obj) ((Result.Ok<Json, ?>) JsonParser.parse(Files.readString(writtenFile()))).value();
    }

    private static List<Json.Obj> objects(List<Json> items) {
        return items.stream().map(Json.Obj.class::cast).toList();
    }

    private static String serial(String bom) {
        int at = bom.indexOf("urn:uuid:");
        return bom.substring(at, at + 45);
    }
}
