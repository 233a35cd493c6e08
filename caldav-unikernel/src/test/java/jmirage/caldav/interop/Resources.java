package jmirage.caldav.interop;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The client scripts and data of these tests, under {@code src/test/resources/interop/}. */
final class Resources {

    private Resources() {}

    static Path file(String name) {
        try {
            var url = Resources.class.getResource("/interop/" + name);
            if (url == null) {
                throw new AssertionError("no test resource interop/" + name);
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }
}
