package jmirage.canopy.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import jmirage.canopy.content.ContentReader;
import jmirage.canopy.content.SiteConfig;
import jmirage.canopy.content.Snapshot;
import org.junit.jupiter.api.Test;

/** A crawler that starts at / and follows every link finds no 404 and reaches every resource. */
class CrawlTest {

    @Test
    void everyLinkOfTheSiteResolvesAndEveryResourceIsReached() {
        Snapshot snapshot = SampleBlog.repository().snapshot();
        Site site = SiteBuilder.build(snapshot);
        SiteConfig config = ContentReader.read(snapshot).config();
        Crawler.Crawl crawl = Crawler.crawl(site, config);
        assertEquals(List.of(), crawl.broken());
        Set<String> unreached = new TreeSet<>(site.resources().keySet());
        unreached.removeAll(crawl.reached());
        // style.css is linked by no page of the sample: a static file is served, not necessarily linked
        assertEquals(Set.of("/static/style.css"), unreached);
        assertTrue(crawl.reached().containsAll(Set.of("/posts/old-url", "/atom", "/sitemap.xml", "/status")), crawl.reached().toString());
    }

    @Test
    void aLinkToAMissingPageIsFound() {
        Snapshot snapshot = SampleBlog.repository()
                .file("notes/typo.md", jmirage.canopy.TestRepository.article("See [this](/posts/unikernel-in-java).", "title: Typo"))
                .snapshot();
        Crawler.Crawl crawl = Crawler.crawl(SiteBuilder.build(snapshot), ContentReader.read(snapshot).config());
        assertEquals(List.of("/notes/typo -> /posts/unikernel-in-java"), crawl.broken());
    }
}
