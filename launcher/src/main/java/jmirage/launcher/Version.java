package jmirage.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this build: the Maven project version, written into {@code version.properties}
 * when the launcher is built (resource filtering, no timestamp). Shown by {@code --version}, in the
 * first boot log line and as {@code jmirage_build_info}.
 */
final class Version {

    private static final String VERSION = load();

    private Version() {}

    static String current() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the launcher's resources");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
