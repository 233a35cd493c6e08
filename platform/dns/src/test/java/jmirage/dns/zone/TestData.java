package jmirage.dns.zone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jmirage.core.Result;

/**
 * The dnsjava test data copied into this module (src/test/resources/dnsjava, with its licence), and an
 * include resolver confined to its folder. Tests run in the module's folder.
 */
public final class TestData {
    public static final Path DIR = Path.of("src/test/resources/dnsjava");

    private TestData() {}

    public static String read(String name) {
        try {
            return Files.readString(DIR.resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("test data missing: " + DIR.resolve(name), e);
        }
    }

    /** Serves files under {@code folder} only; the parser already refuses absolute paths and "..". */
    public static MasterFile.IncludeResolver folder(Path folder) {
        Path root = folder.toAbsolutePath().normalize();
        return path -> {
            Path p = root.resolve(path).normalize();
            if (!p.startsWith(root) || !Files.isRegularFile(p)) {
                return Result.err(new IncludeError.NotFound(path));
            }
            try {
                return Result.ok(Files.readString(p, StandardCharsets.UTF_8));
            } catch (IOException e) {
                return Result.err(new IncludeError.Unreadable(path, e.toString()));
            }
        };
    }
}
