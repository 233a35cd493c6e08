package jmirage.launcher.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import jmirage.core.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which jars an image takes from launcher/target (decision 15), on small jars written here: no build needed. */
class ImageJarsTest {

    @TempDir
    Path target;
    Path lib;
    Path launcher;

    @BeforeEach
    void folders() throws IOException {
        lib = Files.createDirectories(target.resolve("lib"));
        launcher = target.resolve("launcher.jar");
    }

    @Test
    void theImageHoldsTheLauncherTheProviderAndTheClosureOfTheirListsOnly() throws IOException {
        jar(launcher, Map.of(ImageJars.LISTING, "lib/host.jar:lib/picocli.jar\n"));
        // host's list, as Maven writes it, is already transitive; netty-common's own (none) adds nothing.
        jar(lib.resolve("host.jar"), Map.of(ImageJars.LISTING, "lib/netty-transport.jar:lib/netty-common.jar"));
        jar(lib.resolve("netty-transport.jar"), Map.of());
        jar(lib.resolve("netty-common.jar"), Map.of());
        jar(lib.resolve("picocli.jar"), Map.of());
        jar(lib.resolve("examples.jar"), Map.of(ImageJars.PROVIDERS, "# the seed's example\nexample.Clock\nexample.Echo  # RFC 862\n",
                ImageJars.LISTING, "lib/core.jar:lib/picocli.jar"));
        jar(lib.resolve("core.jar"), Map.of());
        // Another unikernel's jar and what only it needs stay out.
        jar(lib.resolve("dns.jar"), Map.of(ImageJars.PROVIDERS, "example.Dns\n", ImageJars.LISTING, "lib/core.jar:lib/bcprov.jar"));
        jar(lib.resolve("bcprov.jar"), Map.of());

        List<Path> jars = ImageJars.of(launcher, "example.Echo").orElseThrow(e -> new IllegalStateException(e.describe()));

        assertEquals(List.of("launcher.jar", "core.jar", "examples.jar", "host.jar", "netty-common.jar", "netty-transport.jar",
                "picocli.jar"), jars.stream().map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void aUnikernelThatNoJarOrTwoJarsProvideIsRefusedNamingThem() throws IOException {
        jar(launcher, Map.of());
        jar(lib.resolve("a.jar"), Map.of(ImageJars.PROVIDERS, "example.Echo\n"));
        jar(lib.resolve("b.jar"), Map.of(ImageJars.PROVIDERS, "example.EchoServer\n"));
        assertEquals(new ImageError.NoProvider("example.Nothing", lib.toString(), List.of()),
                error(ImageJars.of(launcher, "example.Nothing")));

        jar(lib.resolve("c.jar"), Map.of(ImageJars.PROVIDERS, "example.Echo\n"));
        ImageError twice = error(ImageJars.of(launcher, "example.Echo"));
        assertEquals(new ImageError.NoProvider("example.Echo", lib.toString(), List.of("a.jar", "c.jar")), twice);
        assertTrue(twice.describe().startsWith("more than one jar of " + lib + " (a.jar, c.jar) provides example.Echo"),
                twice.describe());
    }

    @Test
    void aListNamingAJarThatIsNotInLibIsRefused() throws IOException {
        jar(launcher, Map.of(ImageJars.LISTING, "lib/host.jar"));
        jar(lib.resolve("examples.jar"), Map.of(ImageJars.PROVIDERS, "example.Echo", ImageJars.LISTING, "lib/core-0.2.jar"));
        jar(lib.resolve("host.jar"), Map.of());
        assertEquals(new ImageError.ListedJarMissing("examples.jar", "lib/core-0.2.jar", lib.toString()),
                error(ImageJars.of(launcher, "example.Echo")));

        // A jar that exists, but outside lib/: not one Maven copied for the launcher.
        jar(lib.resolve("examples.jar"), Map.of(ImageJars.PROVIDERS, "example.Echo", ImageJars.LISTING, "lib/../launcher.jar"));
        assertInstanceOf(ImageError.ListedJarMissing.class, error(ImageJars.of(launcher, "example.Echo")));
    }

    private static ImageError error(Result<List<Path>, ImageError> result) {
        return switch (result) {
            case Result.Err<List<Path>, ImageError>(ImageError e) -> e;
            case Result.Ok<List<Path>, ImageError>(List<Path> jars) -> throw new AssertionError("expected an error, got " + jars);
        };
    }

    /** A jar (a zip) holding {@code entries}, names to text. */
    private static void jar(Path file, Map<String, String> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> e : new TreeMap<>(entries).entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
    }
}
