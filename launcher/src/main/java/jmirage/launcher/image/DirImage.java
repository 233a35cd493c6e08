package jmirage.launcher.image;

import java.io.IOException;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jmirage.core.Result;
import jmirage.launcher.JvmSizing;

/**
 * The {@code dir} format: a folder that boots the unikernel with nothing but a Linux kernel under it.
 * <ul>
 *   <li>{@code lib/}: the launcher's jar, the jar that provides the unikernel, and what they need at
 *       run time ({@link ImageJars}, decision 15): no other unikernel's jars; a jar that holds only
 *       native libraries goes in as those libraries ({@link NativeLibraries}, {@code lib/native/});</li>
 *   <li>{@code runtime/}: a JDK made by jlink of only the modules jdeps finds those jars use;</li>
 *   <li>{@code NAME.aot}: the AOT cache (JEP 483, 514, 515) recorded by {@link Training};</li>
 *   <li>{@code bin/NAME}: a POSIX sh script that boots it with the JVM options (the declared heap
 *       among them) and boot parameters of {@code ./unikernel run NAME}, its own arguments appended.</li>
 * </ul>
 * The jars' modification times are set to the build's fixed timestamp: the AOT cache records them and
 * refuses a class path whose jars changed, and an image copied elsewhere keeps them.
 */
public final class DirImage implements ImageFormat {

    public static final String NAME = "dir";

    /**
     * The build's {@code project.build.outputTimestamp} (pom.xml): the time every file of lib/ carries,
     * so that two builds give the same image and the AOT cache's check of the jars holds after a copy.
     */
    static final FileTime JAR_TIME = FileTime.from(Instant.parse("2026-11-28T00:00:00Z"));

    /**
     * The JVM options of {@code ./unikernel} (its script says why each), so that the image boots as
     * {@code run} does.
     */
    static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TrimNativeHeapInterval=1000",
            "-Djdk.reflect.useNativeAccessorOnly=true", "-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow");

    /**
     * {@link #JVM_OPTIONS}, the heap and the compilation the unikernel declares, as {@code ./unikernel
     * run} passes them; then what spares the boot a look through every jar of the class path (decision
     * 23): the unikernel's class, for the launcher's catalogue, and the JDK's selector provider.
     */
    static List<String> jvmOptions(ImageRequest request) {
        List<String> options = new ArrayList<>(JVM_OPTIONS);
        options.addAll(JvmSizing.options(request.heapMiB(), request.compilation()));
        options.addAll(namedProviders(request.provider()));
        return List.copyOf(options);
    }

    /**
     * The options that name, for the JVM of an image of the unikernel of class {@code unikernel},
     * the providers it would otherwise look for through every jar of its class path: that class, and
     * the JDK's selector provider.
     */
    public static List<String> namedProviders(String unikernel) {
        List<String> options = new ArrayList<>(List.of("-D" + UNIKERNEL_CLASS + "=" + unikernel));
        selectorProvider().ifPresent(provider -> options.add("-D" + SELECTOR_PROVIDER + "=" + provider));
        return List.copyOf(options);
    }

    /**
     * The system property by which an image names its one unikernel's class, for the launcher's
     * catalogue to make it without looking through the jars for it.
     */
    public static final String UNIKERNEL_CLASS = "jmirage.unikernel.class";

    private static final String SELECTOR_PROVIDER = "java.nio.channels.spi.SelectorProvider";

    /**
     * The class of the JDK's own selector provider ({@code sun.nio.ch.EPollSelectorProvider} on
     * Linux), which the image's runtime has too: jlinked from this JDK, {@code java.base} always in
     * it. Named, {@link SelectorProvider#provider()} makes it at once; unnamed, it first looks for
     * another provider with a {@code ServiceLoader} over the class path (Netty's epoll transport
     * opens a selector as it loads). None when this JVM's provider is not the JDK's own.
     */
    private static Optional<String> selectorProvider() {
        Class<?> provider = SelectorProvider.provider().getClass();
        return provider.getModule() == Object.class.getModule() ? Optional.of(provider.getName()) : Optional.empty();
    }

    static final String MAIN_CLASS = "jmirage.launcher.Main";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Result<Path, ImageError> build(ImageRequest request) {
        Path out = request.output(NAME);
        if (!Files.isRegularFile(request.launcherJar())) {
            return Result.err(new ImageError.NotBuilt(request.root().relativize(request.launcherJar()).toString()));
        }
        request.progress().println("image " + request.unikernel() + ": jars into " + out.resolve("lib"));
        return ImageJars.of(request.launcherJar(), request.provider())
                .flatMap(sources -> fresh(out).flatMap(_ -> place(sources, out.resolve("lib"))))
                .flatMap(contents -> modules(request, contents.classPath())
                        .flatMap(modules -> jlink(request, modules, out.resolve("runtime")))
                        .flatMap(_ -> writeLauncher(request, contents, out))
                        .flatMap(_ -> Training.record(request, out, contents.relativeTo(out))))
                .map(_ -> out);
    }

    /**
     * What {@code lib/} holds, as the JVM is told: the jars of the class path, in their order, and the
     * folders of native libraries ({@link NativeLibraries}) for {@code java.library.path}.
     */
    record Contents(List<Path> classPath, List<Path> libraryPath) {

        Contents {
            classPath = List.copyOf(classPath);
            libraryPath = List.copyOf(libraryPath);
        }

        /** The same, each path relative to the image's folder {@code out}. */
        Contents relativeTo(Path out) {
            return new Contents(classPath.stream().map(out::relativize).toList(), libraryPath.stream().map(out::relativize).toList());
        }

        /**
         * The JVM options that name them, each path after {@code prefix} ({@code $here/} in the launch
         * script, the image's folder in the training run): {@code -Djava.library.path} when there is a
         * native library, then {@code -cp}.
         */
        List<String> javaOptions(String prefix) {
            List<String> options = new ArrayList<>();
            libraryPathOption(prefix).ifPresent(options::add);
            options.addAll(List.of("-cp", classPathValue(prefix)));
            return List.copyOf(options);
        }

        String classPathValue(String prefix) {
            return join(classPath, prefix);
        }

        Optional<String> libraryPathOption(String prefix) {
            return libraryPath.isEmpty() ? Optional.empty() : Optional.of("-Djava.library.path=" + join(libraryPath, prefix));
        }

        private static String join(List<Path> paths, String prefix) {
            return paths.stream().map(p -> prefix + p).collect(Collectors.joining(":"));
        }
    }

    /**
     * The dir image of NAME, built unless {@code target/images/NAME/dir} already holds the one this
     * build would make ({@link #isCurrent}): what the oci and vm formats are made from.
     */
    static Result<Path, ImageError> currentOrBuilt(ImageRequest request) {
        if (isCurrent(request)) {
            request.progress().println("image " + request.unikernel() + ": the dir image " + request.output(NAME) + " is this build's");
            return Result.ok(request.output(NAME));
        }
        return new DirImage().build(request);
    }

    /**
     * Whether {@code target/images/NAME/dir} is this build's: a launch script and an AOT cache, and in
     * {@code lib/} exactly the jars {@link ImageJars} chooses now, byte for byte (the cache was recorded
     * with them). A failed or interrupted build leaves no cache, a new build of a module another jar.
     */
    static boolean isCurrent(ImageRequest request) {
        Path out = request.output(NAME);
        if (!Files.isRegularFile(out.resolve("bin").resolve(request.unikernel()))
                || !Files.isRegularFile(out.resolve(request.unikernel() + ".aot"))) {
            return false;
        }
        Path lib = out.resolve("lib");
        return switch (ImageJars.of(request.launcherJar(), request.provider())) {
            case Result.Err<List<Path>, ImageError> _ -> false;
            case Result.Ok<List<Path>, ImageError>(List<Path> sources) -> {
                List<String> jars = new ArrayList<>();
                List<String> nativeFolders = new ArrayList<>();
                boolean same = true;
                for (Path source : sources) {
                    if (!(NativeLibraries.nativeOnly(source) instanceof Result.Ok<Boolean, ImageError>(Boolean nativeOnly))) {
                        yield false;
                    }
                    if (nativeOnly) {
                        nativeFolders.add(NativeLibraries.folder(lib, source).getFileName().toString());
                        same = same && NativeLibraries.holds(lib, source);
                    } else {
                        jars.add(source.getFileName().toString());
                        same = same && holds(lib.resolve(source.getFileName()), source);
                    }
                }
                if (!nativeFolders.isEmpty()) {
                    jars.add(NativeLibraries.FOLDER);
                }
                yield same && names(lib).equals(jars.stream().sorted().toList())
                        && (nativeFolders.isEmpty() || names(lib.resolve(NativeLibraries.FOLDER)).equals(nativeFolders.stream().sorted().toList()));
            }
        };
    }

    /** The names in {@code folder}, sorted; none when it cannot be listed. */
    private static List<String> names(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Removes what a previous build left, so that nothing stale stays in the image. */
    private static Result<Path, ImageError> fresh(Path out) {
        try {
            if (Files.exists(out)) {
                try (Stream<Path> walk = Files.walk(out)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(out);
            return Result.ok(out);
        } catch (IOException e) {
            return Result.err(new ImageError.Io("clearing " + out, e.toString()));
        }
    }

    /** Whether {@code inImage} is what {@link #place} makes of {@code source}: the same bytes, or its {@link UnsignedJar}. */
    private static boolean holds(Path inImage, Path source) {
        try {
            return switch (UnsignedJar.of(source)) {
                case Result.Err<Optional<byte[]>, ImageError> _ -> false;
                case Result.Ok<Optional<byte[]>, ImageError>(Optional<byte[]> unsigned) -> unsigned.isPresent()
                        ? Files.isRegularFile(inImage) && Arrays.equals(Files.readAllBytes(inImage), unsigned.get())
                        : Files.mismatch(source, inImage) == -1;
            };
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * {@code sources} into {@code lib}, in their order: the class path order of the image. A signed
     * jar goes in as its {@link UnsignedJar} (decision 18), once its signature verified; a jar of
     * native libraries only, as its libraries ({@link NativeLibraries}).
     */
    private static Result<Contents, ImageError> place(List<Path> sources, Path lib) {
        try {
            Files.createDirectories(lib);
            List<Path> copied = new ArrayList<>();
            List<Path> libraryPath = new ArrayList<>();
            for (Path source : sources) {
                switch (NativeLibraries.nativeOnly(source)) {
                    case Result.Err<Boolean, ImageError>(ImageError error) -> {
                        return Result.err(error);
                    }
                    case Result.Ok<Boolean, ImageError>(Boolean nativeOnly) when nativeOnly -> {
                        switch (NativeLibraries.extract(source, lib)) {
                            case Result.Err<Path, ImageError>(ImageError error) -> {
                                return Result.err(error);
                            }
                            case Result.Ok<Path, ImageError>(Path folder) -> libraryPath.add(folder);
                        }
                        continue;
                    }
                    case Result.Ok<Boolean, ImageError> _ -> {
                    }
                }
                Path target = lib.resolve(source.getFileName());
                switch (UnsignedJar.of(source)) {
                    case Result.Err<Optional<byte[]>, ImageError>(ImageError error) -> {
                        return Result.err(error);
                    }
                    case Result.Ok<Optional<byte[]>, ImageError>(Optional<byte[]> unsigned) -> {
                        if (unsigned.isPresent()) {
                            Files.write(target, unsigned.get());
                        } else {
                            Files.copy(source, target);
                        }
                    }
                }
                Files.setLastModifiedTime(target, JAR_TIME);
                copied.add(target);
            }
            return Result.ok(new Contents(copied, libraryPath));
        } catch (IOException e) {
            return Result.err(new ImageError.Io("copying the jars into " + lib, e.toString()));
        }
    }

    /**
     * The JDK modules the jars use, as jdeps prints them ({@code --print-module-deps}: comma-separated,
     * sorted). {@code --ignore-missing-deps}: the optional dependencies of the libraries (Netty's
     * codecs for compressions it is never asked for, for instance) are absent on purpose.
     */
    static Result<List<String>, ImageError> modules(ImageRequest request, List<Path> jars) {
        List<String> command = new ArrayList<>(List.of(request.jdkTool("jdeps").toString(), "--ignore-missing-deps",
                "--multi-release", String.valueOf(Runtime.version().feature()), "--print-module-deps"));
        jars.forEach(j -> command.add(j.toString()));
        return Tool.run(command, request.root()).map(output -> {
            String[] lines = output.strip().split("\n");
            return Arrays.stream(lines[lines.length - 1].strip().split(",")).map(String::strip)
                    .filter(m -> !m.isEmpty()).sorted().toList();
        });
    }

    /**
     * jlink of exactly {@code modules}. Debug attributes, header files and man pages are left out;
     * {@code zip-6} compresses the classes in {@code lib/modules}. jlink's output is the same for the
     * same JDK and the same modules (no timestamps in it).
     */
    private static Result<Path, ImageError> jlink(ImageRequest request, List<String> modules, Path runtime) {
        request.progress().println("image " + request.unikernel() + ": jlink of " + String.join(",", modules));
        List<String> command = List.of(request.jdkTool("jlink").toString(),
                "--add-modules", String.join(",", modules),
                "--strip-debug", "--no-header-files", "--no-man-pages", "--compress=zip-6",
                "--output", runtime.toString());
        return Tool.run(command, request.root()).map(_ -> runtime);
    }

    /**
     * {@code bin/NAME}. The class path is spelled out jar by jar rather than {@code lib/*}: the AOT
     * cache is valid only for the class path it was recorded with, in the same order, and a wildcard's
     * order is the folder's. {@code jmirage.home} is the image's folder: its default store is
     * {@code var/NAME} inside it, as {@code ./unikernel}'s is inside the project.
     */
    private static Result<Path, ImageError> writeLauncher(ImageRequest request, Contents contents, Path out) {
        String unikernel = request.unikernel();
        // the paths of the image in double quotes, so that $here expands in them alone; an option a line
        Contents relative = contents.relativeTo(out);
        String paths = relative.libraryPathOption("$here/").map(o -> '"' + o + "\" \\\n  ").orElse("")
                + "-cp \"" + relative.classPathValue("$here/") + '"';
        String script = """
                #!/bin/sh
                # Boots %1$s from this image, as `./unikernel run %1$s` does; arguments are its boot parameters.
                # JMIRAGE_JAVA_OPTS adds JVM options (after the image's own, so they win); when it sizes the
                # heap, the image's initial heap is left out (the JVM refuses one above the maximum).
                case "$0" in */*) bin="${0%%/*}" ;; *) bin=. ;; esac
                here="$(cd "$bin/.." && pwd)"
                initial=%5$s
                case " ${JMIRAGE_JAVA_OPTS:-} " in *" -Xmx"*|*" -Xms"*|*" -XX:MaxHeapSize="*|*" -XX:InitialHeapSize="*) initial= ;; esac
                exec "$here/runtime/bin/java" -XX:AOTCache="$here/%1$s.aot" %2$s $initial \\
                  ${JMIRAGE_JAVA_OPTS:-} -Djmirage.home="$here" \\
                  %3$s \\
                  %4$s run %1$s "$@"
                """.formatted(unikernel, String.join(" ", jvmOptions(request)), paths, MAIN_CLASS,
                JvmSizing.initialHeapOption(request.initialHeapMiB()));
        Path bin = out.resolve("bin").resolve(unikernel);
        try {
            Files.createDirectories(bin.getParent());
            Files.writeString(bin, script, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
            return Result.ok(bin);
        } catch (IOException e) {
            return Result.err(new ImageError.Io("writing " + bin, e.toString()));
        }
    }
}
