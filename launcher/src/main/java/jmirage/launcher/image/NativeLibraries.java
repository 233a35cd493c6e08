package jmirage.launcher.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import jmirage.core.Result;

/**
 * The native libraries of a dir image (Netty's epoll transport): a jar that holds no class, only
 * {@code META-INF/native/*.so}, goes into the image as its libraries, in {@code lib/native/STEM/}
 * (STEM: the jar's file name without {@code .jar}, which the SBOM traces back to the jar), and stays
 * off the class path. {@code bin/NAME} names those folders in {@code java.library.path}, where Netty's
 * {@code NativeLibraryLoader} looks first; from the jar it would copy the library to {@code /tmp} and
 * load the copy, at every boot, and fall back to NIO where {@code /tmp} is read-only or {@code noexec}.
 */
final class NativeLibraries {

    /** The folder of {@code lib/} that holds one folder of libraries per such jar. */
    static final String FOLDER = "native";

    /** Where a jar holds its native libraries, as Netty's {@code NativeLibraryLoader} looks for them. */
    static final String RESOURCE_HOME = "META-INF/native/";

    private NativeLibraries() {}

    /** Whether {@code jar} holds native libraries and no class ({@code module-info.class} aside). */
    static Result<Boolean, ImageError> nativeOnly(Path jar) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            boolean classes = zip.stream().map(ZipEntry::getName)
                    .anyMatch(n -> n.endsWith(".class") && !n.endsWith("module-info.class"));
            return Result.ok(!classes && !libraryEntries(zip).isEmpty());
        } catch (IOException e) {
            return Result.err(new ImageError.Io("reading " + jar, e.toString()));
        }
    }

    /** The folder of {@code lib} that {@link #extract} fills from {@code jar}. */
    static Path folder(Path lib, Path jar) {
        String name = jar.getFileName().toString();
        return lib.resolve(FOLDER).resolve(name.substring(0, name.length() - ".jar".length()));
    }

    /** Every file under {@code lib/native/} of an image, in path order; none when there is no such folder. */
    static List<Path> inImage(Path lib) throws IOException {
        Path root = lib.resolve(FOLDER);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /**
     * The file name of the jar a library of {@code lib/native/STEM/} was taken from, {@code STEM.jar}
     * (the inverse of {@link #folder}); empty for a file anywhere else under {@code lib/native/}.
     */
    static Optional<String> jarOf(Path lib, Path library) {
        Path relative = lib.resolve(FOLDER).relativize(library);
        return relative.getNameCount() == 2 ? Optional.of(relative.getName(0) + ".jar") : Optional.empty();
    }

    /** The libraries of {@code jar} into {@link #folder}, each with the image's fixed time stamp. */
    static Result<Path, ImageError> extract(Path jar, Path lib) {
        Path folder = folder(lib, jar);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Files.createDirectories(folder);
            for (ZipEntry entry : libraryEntries(zip)) {
                Path target = folder.resolve(fileName(entry));
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, target);
                }
                Files.setLastModifiedTime(target, DirImage.JAR_TIME);
            }
            return Result.ok(folder);
        } catch (IOException e) {
            return Result.err(new ImageError.Io("extracting the native libraries of " + jar + " into " + folder, e.toString()));
        }
    }

    /** Whether {@link #folder} holds exactly the libraries of {@code jar}, byte for byte. */
    static boolean holds(Path lib, Path jar) {
        Path folder = folder(lib, jar);
        try (ZipFile zip = new ZipFile(jar.toFile()); Stream<Path> files = Files.list(folder)) {
            List<String> present = files.map(f -> f.getFileName().toString()).sorted().toList();
            List<ZipEntry> entries = libraryEntries(zip);
            if (!present.equals(entries.stream().map(NativeLibraries::fileName).toList())) {
                return false;
            }
            for (ZipEntry entry : entries) {
                try (InputStream in = zip.getInputStream(entry)) {
                    if (!Arrays.equals(in.readAllBytes(), Files.readAllBytes(folder.resolve(fileName(entry))))) {
                        return false;
                    }
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The bytes of the library {@code name} in {@code jar} ({@code META-INF/native/NAME}), if it holds
     * one: how the SBOM checks that a library of the image is the one of the jar it names.
     */
    static Optional<byte[]> entry(Path jar, String name) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(RESOURCE_HOME + name);
            if (entry == null || entry.isDirectory()) {
                return Optional.empty();
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return Optional.of(in.readAllBytes());
            }
        }
    }

    /** The shared libraries directly in {@code META-INF/native/}, by name. */
    private static List<ZipEntry> libraryEntries(ZipFile zip) {
        List<ZipEntry> entries = new ArrayList<>();
        zip.stream().filter(e -> !e.isDirectory() && e.getName().startsWith(RESOURCE_HOME) && e.getName().endsWith(".so")
                && e.getName().indexOf('/', RESOURCE_HOME.length()) < 0).forEach(entries::add);
        entries.sort(Comparator.comparing(ZipEntry::getName));
        return entries;
    }

    private static String fileName(ZipEntry entry) {
        return entry.getName().substring(RESOURCE_HOME.length());
    }
}
