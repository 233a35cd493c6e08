package jmirage.launcher.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jmirage.core.Result;

/**
 * The host's shared libraries that some programs link to, found with {@code ldd}: what an image
 * built from scratch must carry for the runtime's binaries to load. A library inside one of the
 * {@code own} folders (the jlink runtime's {@code libjli.so}, {@code libjvm.so}) is not the host's
 * and is left out; so is the kernel's {@code linux-vdso.so.1}, which has no file.
 */
final class SharedLibraries {

    // "libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x...)", "/lib64/ld-linux-x86-64.so.2 (0x...)",
    // "libjvm.so => not found"
    private static final Pattern RESOLVED = Pattern.compile("^\\s*(?:\\S+ => )?(/\\S+) \\(0x[0-9a-f]+\\)$");
    private static final Pattern NOT_FOUND = Pattern.compile("^\\s*(\\S+) => not found$");

    private SharedLibraries() {}

    /**
     * The absolute paths, as the dynamic loader names them, of the libraries {@code programs} load.
     * A library ldd cannot find is an error unless a file of that name is inside one of {@code own}
     * (the runtime finds it there itself, as {@code libjava.so} finds {@code libjvm.so}).
     */
    static Result<SortedSet<Path>, ImageError> of(List<Path> programs, List<Path> own, Set<String> ownFileNames) {
        SortedSet<Path> libraries = new TreeSet<>();
        for (Path program : programs) {
            String output;
            switch (Tool.run(List.of("ldd", program.toString()), program.getParent())) {
                case Result.Ok<String, ImageError>(String printed) -> output = printed;
                // a static executable: ldd says "not a dynamic executable" and exits 1; it needs no library
                case Result.Err<String, ImageError>(ImageError.ToolFailed failed)
                        when failed.output().contains("not a dynamic executable") -> output = "";
                case Result.Err<String, ImageError>(ImageError error) -> {
                    return Result.err(error);
                }
            }
            for (String line : output.lines().toList()) {
                Optional<String> missing = notFound(line);
                if (missing.isPresent()) {
                    if (!ownFileNames.contains(missing.get())) {
                        return Result.err(new ImageError.Io(program.toString(),
                                "links to " + missing.get() + ", which ldd does not find on this host"));
                    }
                    continue;
                }
                resolved(line).map(Path::normalize)
                        .filter(library -> own.stream().noneMatch(library::startsWith))
                        .ifPresent(libraries::add);
            }
        }
        return Result.ok(libraries);
    }

    /** The library path of one line of ldd's output, if it names one. */
    static Optional<Path> resolved(String line) {
        Matcher m = RESOLVED.matcher(line);
        return m.matches() ? Optional.of(Path.of(m.group(1))) : Optional.empty();
    }

    /** The library that one line of ldd's output says it could not find. */
    static Optional<String> notFound(String line) {
        Matcher m = NOT_FOUND.matcher(line);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Every regular file under {@code folder} that is an ELF object (executable or shared library). */
    static List<Path> elfFiles(Path folder) throws IOException {
        List<Path> elf = new ArrayList<>();
        try (var walk = java.nio.file.Files.walk(folder)) {
            for (Path file : walk.filter(java.nio.file.Files::isRegularFile).sorted().toList()) {
                try (var in = java.nio.file.Files.newInputStream(file)) {
                    byte[] magic = in.readNBytes(4);
                    if (magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F') {
                        elf.add(file);
                    }
                }
            }
        }
        return elf;
    }
}
