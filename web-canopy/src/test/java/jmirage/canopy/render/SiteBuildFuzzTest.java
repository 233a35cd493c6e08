package jmirage.canopy.render;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.List;
import jmirage.canopy.TestRepository;
import jmirage.canopy.content.Snapshot;

/**
 * A fuzzed repository (a few files among the layout's places, any text in each, any configuration
 * value) built into a site: no exception escapes, no HTML page carries script (raw HTML is off),
 * the feed and the sitemap are well-formed XML, and time stays in proportion to the input.
 */
class SiteBuildFuzzTest {

    private static final List<String> PATHS = List.of("about.md", "posts/a.md", "posts/b.md", "notes/c.md",
            "posts/deep/d.md", "static/x.css", ".config/blog_name", ".config/root", ".config/uuid", ".config/index_page");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static boolean warmedUp;

    /** Loads commonmark and the renderers once, so the time bound measures building, not class loading. */
    private static void warmUp() {
        SiteBuilder.build(SampleBlog.repository().snapshot());
        warmedUp = true;
    }

    @FuzzTest(maxDuration = "20s")
    void anyRepositoryBuildsASafeSite(FuzzedDataProvider data) {
        if (!warmedUp) {
            warmUp();
        }
        TestRepository repo = TestRepository.configured();
        int files = data.consumeInt(1, 5);
        int length = 0;
        for (int i = 0; i < files; i++) {
            String path = data.pickValue(PATHS);
            Instant when = Instant.ofEpochSecond(data.consumeLong(0, 253_402_300_799L));  // to 9999-12-31
            String text = data.consumeString(4096);
            length += text.length();
            repo.file(path, text, when, when);
        }
        Snapshot snapshot = repo.file(".config/allow_raw_html", "false").snapshot();
        long start = THREADS.getCurrentThreadCpuTime();
        Site site = SiteBuilder.build(snapshot);
        long elapsed = THREADS.getCurrentThreadCpuTime() - start;
        assertTrue(elapsed < 2_000_000_000L + 200_000L * length, "build took " + elapsed + " ns of CPU");
        for (Resource r : site.resources().values()) {
            if (r.mediaType().startsWith("text/html")) {
                SitePropertiesTest.assertNoScript(r.body().toUtf8());
            }
        }
        SitePropertiesTest.assertNoScript(site.notFound().body().toUtf8());
        SafeXml.parse(site.resources().get("/atom").body());
        SafeXml.parse(site.resources().get("/sitemap.xml").body());
    }
}
