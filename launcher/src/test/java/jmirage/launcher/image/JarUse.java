package jmirage.launcher.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jmirage.core.Result;

/**
 * Issue 18's acceptance for a dir image's jars: every jar of {@code lib/} is one the unikernel uses.
 * The image's {@code bin/NAME} boots without its AOT cache (so that each class names the jar it came
 * from) with {@code -Xlog:class+load} and {@code -Xlog:library}, and gets what the training run gives
 * it ({@link Training#serveAndExercise}). A jar is used when a class was loaded from it; a jar that
 * went into the image as its native libraries ({@link NativeLibraries}: Netty's epoll transport), when
 * the JVM loaded them from {@code lib/native/} (not a copy Netty made elsewhere).
 * A jar the exercise does not reach must be named by the caller with the path that uses it; such a
 * name is checked too: a jar it names that was used, or is not in the image, fails the check.
 */
final class JarUse {

    /** The project folder: the training recipes' seeds are files of it. */
    private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();

    private JarUse() {}

    /**
     * @param reachedElsewhere artifact id of each jar the exercise does not reach, with the path (boot
     *     parameter, protocol) that uses it
     */
    static void assertEveryJarUsed(Path image, String unikernel, String address, Path scratch,
            Map<String, String> reachedElsewhere) throws IOException, InterruptedException {
        Path classes = scratch.resolve("class-load.log");
        Path libraries = scratch.resolve("library.log");
        Path output = scratch.resolve("output.log");
        List<String> command = new ArrayList<>(List.of(image.resolve("bin").resolve(unikernel).toString()));
        command.addAll(Training.bootParameters(unikernel, address, PROJECT, Files.createDirectories(scratch.resolve("run")))
                .orElseThrow(e -> new IllegalStateException(e.describe())));
        ProcessBuilder boot = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        boot.environment().put("JMIRAGE_JAVA_OPTS", "-XX:AOTMode=off -Xlog:class+load:file=" + classes
                + " -Xlog:library=info:file=" + libraries);
        Process process = boot.start();
        try {
            Result<Integer, ImageError> exercised = Training.serveAndExercise(unikernel, address, process, output);
            if (exercised instanceof Result.Err<Integer, ImageError>(ImageError error)) {
                throw new AssertionError(error.describe());
            }
            process.destroy();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), unikernel + " did not stop on SIGTERM");
        } finally {
            process.destroyForcibly();
        }

        Map<String, Integer> loaded = classesByJar(Files.readString(classes), image.resolve("lib"));
        Set<Path> loadedLibraries = loadedLibraries(Files.readString(libraries));
        Set<String> unused = new TreeSet<>();
        Set<String> inImage = new TreeSet<>();
        List<Path> jars;
        try (Stream<Path> lib = Files.list(image.resolve("lib"))) {
            jars = lib.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
        for (Path jar : jars) {
            String name = jar.getFileName().toString();
            inImage.add(artifactId(name));
            if (loaded.getOrDefault(name, 0) == 0) {
                unused.add(artifactId(name));
            }
        }
        for (Path library : NativeLibraries.inImage(image.resolve("lib"))) {
            String jar = NativeLibraries.jarOf(image.resolve("lib"), library).orElseThrow();
            inImage.add(artifactId(jar));
            if (!loadedLibraries.contains(library.toAbsolutePath().normalize())) {
                unused.add(artifactId(jar));
            }
        }
        assertTrue(inImage.containsAll(reachedElsewhere.keySet()), "named as reached elsewhere but not in the image: "
                + reachedElsewhere.keySet().stream().filter(a -> !inImage.contains(a)).toList());
        assertEquals(new TreeSet<>(reachedElsewhere.keySet()), unused,
                "jars of " + image + " that no class was loaded from, against those named with the path that uses them "
                        + reachedElsewhere + "; classes loaded by jar: " + loaded);
    }

    private static final Pattern CLASS_SOURCE = Pattern.compile(" source: file:(\\S+)$", Pattern.MULTILINE);

    /** How many classes {@code -Xlog:class+load} says came from each jar of {@code lib}, by file name. */
    static Map<String, Integer> classesByJar(String log, Path lib) {
        Map<String, Integer> counts = new TreeMap<>();
        Matcher m = CLASS_SOURCE.matcher(log);
        while (m.find()) {
            Path source = Path.of(m.group(1));
            if (source.getParent() != null && source.getParent().equals(lib)) {
                counts.merge(source.getFileName().toString(), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static final Pattern LOADED_LIBRARY = Pattern.compile("Loaded library (\\S+),");

    /** The native libraries {@code -Xlog:library} says were loaded, by the path they were loaded from. */
    static Set<Path> loadedLibraries(String log) {
        return LOADED_LIBRARY.matcher(log).results().map(r -> Path.of(r.group(1)).normalize())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The artifact id in a file name Maven gave a jar: what precedes the first {@code -DIGIT} ({@code launcher} for launcher.jar). */
    static String artifactId(String jarName) {
        Matcher m = Pattern.compile("^(.*?)-\\d.*\\.jar$").matcher(jarName);
        return m.matches() ? m.group(1) : jarName.replaceFirst("\\.jar$", "");
    }
}
