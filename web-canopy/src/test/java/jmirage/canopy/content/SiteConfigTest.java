package jmirage.canopy.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import jmirage.canopy.TestRepository;
import org.junit.jupiter.api.Test;

class SiteConfigTest {

    @Test
    void readsEverySettingFromTheConfigFolder() {
        SiteConfig.Read read = SiteConfig.read(TestRepository.configured()
                .file(".config/index_page", "about\n")
                .file(".config/allow_raw_html", "True\n").snapshot());
        assertEquals(List.of(), read.problems());
        assertEquals(new SiteConfig("Mirage notes", Optional.of("about"), "https://blog.example",
                "urn:uuid:1b4e28ba-2d11-4a5c-9f52-1f6c2a0b7e3d", true), read.config());
        assertEquals("https://blog.example/posts/a", read.config().absolute("/posts/a"));
    }

    @Test
    void withoutConfigurationTheDefaultsServeAndTheMissingRootIsReported() {
        SiteConfig.Read read = SiteConfig.read(new TestRepository().snapshot());
        assertEquals(new SiteConfig("Canopy", Optional.empty(), "http://localhost", "http://localhost/", false), read.config());
        assertEquals(1, read.problems().size());
        assertEquals(".config/root", read.problems().getFirst().path());
    }

    @Test
    void aRootWithAPathOrAnotherSchemeIsRefused() {
        for (String root : List.of("https://blog.example/blog/", "ftp://blog.example", "blog.example", "https://u@blog.example/", "https://blog.example/?x")) {
            SiteConfig.Read read = SiteConfig.read(new TestRepository().file(".config/root", root).snapshot());
            assertEquals("http://localhost", read.config().origin(), root);
            assertEquals(1, read.problems().size(), root);
        }
        assertEquals("https://Blog.Example:8443", SiteConfig.read(new TestRepository().file(".config/root", "HTTPS://Blog.Example:8443/").snapshot()).config().origin());
    }

    @Test
    void aBadUuidOrSwitchIsReportedAndTheSafeDefaultKept() {
        SiteConfig.Read read = SiteConfig.read(TestRepository.configured()
                .file(".config/uuid", "not-a-uuid")
                .file(".config/allow_raw_html", "yes").snapshot());
        assertEquals("https://blog.example/", read.config().feedId());
        assertEquals(false, read.config().allowRawHtml());
        assertEquals(List.of(".config/uuid", ".config/allow_raw_html"), read.problems().stream().map(Problem::path).toList());
        assertTrue(read.problems().get(1).reason().contains("'yes'"));
    }
}
