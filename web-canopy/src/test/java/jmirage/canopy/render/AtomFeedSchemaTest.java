package jmirage.canopy.render;

import static jmirage.canopy.TestRepository.article;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import jmirage.canopy.TestRepository;
import jmirage.canopy.content.Snapshot;
import jmirage.core.Bytes;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feed validated by jing against RFC 4287's RELAX NG grammar (Appendix B, in atom.rnc beside this test). */
@Tag("peer")
class AtomFeedSchemaTest {

    @TempDir
    static Path folder;
    private static Path schema;

    @BeforeAll
    static void schema() throws IOException {
        Sh.requireCommand("jing", "jing");
        schema = folder.resolve("atom.rnc");
        try (InputStream in = AtomFeedSchemaTest.class.getResourceAsStream("atom.rnc")) {
            Files.write(schema, in.readAllBytes());
        }
    }

    private static Ran jing(String name, Bytes feed) throws IOException {
        Path file = folder.resolve(name + ".xml");
        Files.write(file, feed.toArray());
        return Command.of("jing", "-c", schema.toString(), file.toString()).run();
    }

    private static Bytes feedOf(Snapshot snapshot) {
        return SiteBuilder.build(snapshot).resources().get("/atom").body();
    }

    @Test
    void theSampleBlogsFeedIsValid() throws IOException {
        jing("sample", feedOf(SampleBlog.repository().snapshot())).ok();
    }

    @Test
    void theFeedOfAThousandArticlesIsValid() throws IOException {
        jing("large", feedOf(LargeSiteTest.thousandArticles())).ok();
    }

    @Test
    void aFeedOfHostileTextIsValid() throws IOException {
        jing("hostile", feedOf(TestRepository.configured()
                .file(".config/blog_name", "<b>Blog</b> & \u0001 \"quotes\"")
                .file("posts/a.md", article("<script>x</script> ]]> \u0000",
                        "title: ]]><!-- <![CDATA[ x", "author: <a> & \u0007", "author_url: https://a.example/?q=<x>&y",
                        "abstract: \uFFFF\uFFFE", "tags: t\tab, <i>, a\"b"))
                .file("empty/b.md", article("", "title: Empty")).snapshot())).ok();
    }

    @Test
    void jingRefusesAFeedWithoutItsId() throws IOException {
        String feed = feedOf(SampleBlog.repository().snapshot()).toUtf8();
        String withoutId = feed.replaceFirst("  <id>[^<]*</id>\n", "");
        assertTrue(withoutId.length() < feed.length());
        Ran ran = jing("no-id", Bytes.utf8(withoutId));
        assertFalse(ran.succeeded(), ran.describe());
    }
}
