package jmirage.launcher.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import jmirage.core.Result;

/**
 * The jars an image holds (decision 15): the launcher's jar, the jar that provides the unikernel,
 * and every jar their class-path lists name, transitively, nothing else.
 *
 * <p>Each jar of the build lists what it needs at run time in {@value #LISTING}: {@code lib/NAME.jar}
 * entries separated by {@code :}, relative to the folder of the launcher's jar (launcher/target,
 * whose {@code lib/} Maven filled), written by the parent pom's {@code class-path-listing} profile. A
 * module's list is Maven's resolution of its runtime scope, so it is already transitive; the
 * launcher's names only its direct needs, whose own lists name the rest. A jar without a list (a
 * third-party library) adds nothing: what it needs is in the list of the module that brought it.
 */
final class ImageJars {

    static final String LISTING = "META-INF/jmirage/class-path";
    static final String PROVIDERS = "META-INF/services/jmirage.core.Unikernel";

    private ImageJars() {}

    /**
     * The launcher's jar first, then the others by file name: the image's class path, in the order
     * its AOT cache records.
     *
     * @param launcherJar {@code launcher/target/launcher.jar}; its folder holds {@code lib/}
     * @param provider the class of the unikernel (named in some jar's {@value #PROVIDERS})
     */
    static Result<List<Path>, ImageError> of(Path launcherJar, String provider) {
        Path base = launcherJar.getParent();
        return providerJar(base.resolve("lib"), provider).flatMap(providing -> closure(base, List.of(launcherJar, providing)))
                .map(jars -> {
                    List<Path> ordered = new ArrayList<>(List.of(launcherJar));
                    jars.stream().filter(j -> !j.equals(launcherJar)).sorted().forEach(ordered::add);
                    return List.copyOf(ordered);
                });
    }

    /** The one jar of {@code lib} whose {@value #PROVIDERS} names {@code provider}. */
    static Result<Path, ImageError> providerJar(Path lib, String provider) {
        List<Path> jars;
        try (Stream<Path> list = Files.list(lib)) {
            jars = list.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            return Result.err(new ImageError.Io("listing " + lib, e.toString()));
        }
        List<Path> providing = new ArrayList<>();
        for (Path jar : jars) {
            switch (entry(jar, PROVIDERS)) {
                case Result.Err<Optional<String>, ImageError>(ImageError error) -> {
                    return Result.err(error);
                }
                case Result.Ok<Optional<String>, ImageError>(Optional<String> text) -> {
                    // ServiceLoader's format: one class name a line, '#' starts a comment.
                    if (text.orElse("").lines().map(l -> l.replaceFirst("#.*", "").strip()).anyMatch(provider::equals)) {
                        providing.add(jar);
                    }
                }
            }
        }
        return providing.size() == 1 ? Result.ok(providing.getFirst())
                : Result.err(new ImageError.NoProvider(provider, lib.toString(), providing.stream().map(p -> p.getFileName().toString()).toList()));
    }

    /** {@code roots} and every jar their lists name, transitively; a name outside {@code base/lib} or missing there is an error. */
    static Result<List<Path>, ImageError> closure(Path base, List<Path> roots) {
        TreeSet<Path> seen = new TreeSet<>();
        Deque<Path> todo = new ArrayDeque<>(roots);
        Path lib = base.resolve("lib");
        while (!todo.isEmpty()) {
            Path jar = todo.pop();
            if (!seen.add(jar)) {
                continue;
            }
            String names;
            switch (entry(jar, LISTING)) {
                case Result.Err<Optional<String>, ImageError>(ImageError error) -> {
                    return Result.err(error);
                }
                case Result.Ok<Optional<String>, ImageError>(Optional<String> text) -> names = text.orElse("").strip();
            }
            for (String name : names.isEmpty() ? List.<String>of() : Arrays.asList(names.split(":"))) {
                Path listed = base.resolve(name).normalize();
                if (!listed.getParent().equals(lib) || !Files.isRegularFile(listed)) {
                    return Result.err(new ImageError.ListedJarMissing(jar.getFileName().toString(), name, lib.toString()));
                }
                todo.push(listed);
            }
        }
        return Result.ok(List.copyOf(seen));
    }

    /** The text of {@code name} inside {@code jar}, empty when it has no such entry. */
    private static Result<Optional<String>, ImageError> entry(Path jar, String name) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(name);
            if (entry == null) {
                return Result.ok(Optional.empty());
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return Result.ok(Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            return Result.err(new ImageError.Io("reading " + name + " of " + jar, e.toString()));
        }
    }
}
