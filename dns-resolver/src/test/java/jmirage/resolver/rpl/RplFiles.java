package jmirage.resolver.rpl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The replay files under {@code src/test/resources/rpl}, read from the test class path. */
final class RplFiles {

    private RplFiles() {}

    static Path folder() {
        try {
            return Path.of(RplFiles.class.getResource("/rpl/README.md").toURI()).getParent();
        } catch (URISyntaxException bad) {
            throw new IllegalStateException(bad);
        }
    }

    /** The file names, sorted. */
    static List<String> names() {
        try (Stream<Path> files = Files.list(folder())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".rpl")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String name) {
        try {
            return Files.readString(folder().resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Rpl parse(String name) {
        return RplParser.parse(name, text(name)).orElseThrow(e -> new IllegalStateException(name + ": " + e.describe()));
    }
}
