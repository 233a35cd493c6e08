package jmirage.canopy.render;

import static jmirage.canopy.TestRepository.article;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jmirage.canopy.TestRepository;
import jmirage.canopy.content.Problem;
import org.junit.jupiter.api.Test;

class SiteBuilderTest {

    private static final Site SITE = SiteBuilder.build(SampleBlog.repository().snapshot());

    private static String page(Site site, String path) {
        return assertInstanceOf(Site.Answer.Found.class, site.lookup(path), path).resource().body().toUtf8();
    }

    /** The text of the first element {@code tag} of the page's main part. */
    private static String first(String html, String tag) {
        Matcher m = Pattern.compile("<" + tag + "[^>]*>(.*?)</" + tag + ">", Pattern.DOTALL).matcher(html.substring(html.indexOf("<main>")));
        assertTrue(m.find(), tag + " in " + html);
        return m.group(1);
    }

    @Test
    void servesEveryPageOfTheSiteAtItsPath() {
        assertEquals(Set.of("/", "/about", "/posts", "/notes", "/posts/unikernels-in-java", "/posts/first-boot",
                "/notes/tcp-timers", "/tags", "/tags/java", "/tags/mirage", "/tags/net", "/atom", "/sitemap.xml",
                "/status", "/robots.txt", "/static/img/logo.png", "/static/style.css"), SITE.resources().keySet());
    }

    @Test
    void theIndexListsTheNewestArticlesWithTheirAbstracts() {
        String index = page(SITE, "/");
        assertTrue(index.indexOf("/posts/unikernels-in-java") < index.indexOf("/notes/tcp-timers"), index);
        assertTrue(index.indexOf("/notes/tcp-timers") < index.indexOf("/posts/first-boot"), index);
        assertTrue(index.contains("<p>What a pure core buys &amp; costs.</p>"), index);
        assertTrue(index.contains("<title>Mirage notes</title>"), index);
    }

    @Test
    void theIndexIsTheConfiguredArticleWhenOneIsNamed() {
        Site site = SiteBuilder.build(SampleBlog.repository().file(".config/index_page", "about").snapshot());
        String index = page(site, "/");
        assertEquals("About", first(index, "h1"));
        assertTrue(index.contains("We write about"), index);
        assertTrue(page(site, "/about").contains("We write about"));
    }

    @Test
    void anArticlePageEscapesItsHeaderAndRendersItsMarkdown() {
        String html = page(SITE, "/posts/unikernels-in-java");
        assertEquals("Unikernels in &lt;Java&gt;", first(html, "h1"));
        assertTrue(html.contains("<title>Unikernels in &lt;Java&gt; - Mirage notes</title>"), html);
        assertTrue(html.contains("By <a href=\"https://ada.example/\">Ada</a>"), html);
        assertTrue(html.contains("<a href=\"/tags/java\">java</a>, <a href=\"/tags/mirage\">mirage</a>"), html);
        assertTrue(html.contains("<time datetime=\"2026-06-05T10:00:00Z\">2026-06-05</time>, updated <time datetime=\"2026-09-05T10:00:00Z\">"), html);
        assertTrue(html.contains("<h1 id=\"why\">Why</h1>"), html);
        assertTrue(html.contains("<td>tap</td>"), html);
        assertTrue(html.contains("class=\"footnotes\""), html);
        assertTrue(html.contains("&lt;script&gt;alert(&quot;not run&quot;)&lt;/script&gt;"), html);
        assertFalse(html.contains("<script"), html);
    }

    @Test
    void theNavigationLinksThePagesAndTheCategoriesOnEveryPage() {
        for (String path : List.of("/", "/posts/first-boot", "/tags/net", "/status")) {
            assertTrue(page(SITE, path).contains("<nav><a href=\"/about\">About</a><a href=\"/notes\">notes</a><a href=\"/posts\">posts</a></nav>"), path);
        }
        assertTrue(SITE.notFound().body().toUtf8().contains("<a href=\"/posts\">posts</a>"));
    }

    @Test
    void aCategoryPageListsItsArticlesNewestFirst() {
        String posts = page(SITE, "/posts");
        assertEquals("posts", first(posts, "h1"));
        assertTrue(posts.indexOf("/posts/unikernels-in-java") < posts.indexOf("/posts/first-boot"), posts);
        assertFalse(posts.contains("/notes/tcp-timers"), posts);
    }

    @Test
    void aTagPageListsTheArticlesCarryingIt() {
        String mirage = page(SITE, "/tags/mirage");
        assertEquals("Tagged mirage", first(mirage, "h1"));
        assertTrue(mirage.contains("/posts/unikernels-in-java") && mirage.contains("/posts/first-boot"), mirage);
        assertFalse(mirage.contains("/notes/tcp-timers\""), mirage);
        assertTrue(page(SITE, "/tags").contains("<a href=\"/tags/mirage\">mirage</a> (2)"));
    }

    @Test
    void theStatusPageListsTheProblemsAndTheSiteCarriesThem() {
        assertEquals(List.of("posts/broken.md"), SITE.problems().stream().map(Problem::path).toList());
        String status = page(SITE, "/status");
        assertTrue(status.contains("4 articles published, 1 problem."), status);
        assertTrue(status.contains("<li><code>posts/broken.md:3</code> &#39;someday&#39; is not a date"), status);
    }

    @Test
    void staticFilesAreServedByteForByteWithTheirMediaType() {
        Resource png = SITE.resources().get("/static/img/logo.png");
        assertEquals("image/png", png.mediaType());
        assertEquals(SampleBlog.PNG, png.body());
        assertTrue(png.gzip().isEmpty(), "a PNG is compressed already");
        assertEquals(SampleBlog.JAN, png.lastModified());
        Resource css = SITE.resources().get("/static/style.css");
        assertEquals("text/css; charset=utf-8", css.mediaType());
        assertTrue(css.gzip().isPresent());
    }

    @Test
    void redirectsGoWhereTheirHeaderSays() {
        assertEquals(new Site.Answer.Moved("/posts/first-boot"), SITE.lookup("/posts/old-url"));
        assertEquals(new Site.Answer.Moved("https://mirage.io/blog/"), SITE.lookup("/posts/elsewhere"));
        assertEquals(new Site.Answer.Moved("/posts"), SITE.lookup("/posts/"));
    }

    @Test
    void aRedirectToNoPageOfTheSiteIsAProblemAndNotServed() {
        Site site = SiteBuilder.build(TestRepository.configured()
                .file("posts/gone.md", article("", "redirect: /posts/nowhere")).snapshot());
        assertEquals(List.of(new Problem("posts/gone.md", 0, "it redirects to /posts/nowhere, which is not a page of the site")), site.problems());
        assertInstanceOf(Site.Answer.NotFound.class, site.lookup("/posts/gone"));
    }

    @Test
    void aRedirectMayGoToTheStatusPageOrAnyOtherPageOfTheSite() {
        Site site = SiteBuilder.build(TestRepository.configured()
                .file("problems.md", article("", "redirect: /status"))
                .file("feed.md", article("", "redirect: /atom?full#top")).snapshot());
        assertEquals(new Site.Answer.Moved("/status"), site.lookup("/problems"));
        assertEquals(new Site.Answer.Moved("/atom?full#top"), site.lookup("/feed"));
    }

    @Test
    void anUnknownPathGetsTheNotFoundPage() {
        Site.Answer answer = SITE.lookup("/posts/missing");
        assertEquals(new Site.Answer.NotFound(SITE.notFound()), answer);
        assertTrue(SITE.notFound().body().toUtf8().contains("<h1>Not found</h1>"));
    }

    @Test
    void htmlPagesChangeWithAnyCommitSoTheirLastModifiedIsTheNewestCommit() {
        assertEquals(SampleBlog.SEP, SITE.resources().get("/about").lastModified());
        assertEquals(SampleBlog.SEP, SITE.resources().get("/").lastModified());
    }

    @Test
    void theSameSnapshotBuildsTheSameBytesAndEntityTags() {
        Site again = SiteBuilder.build(SampleBlog.repository().snapshot());
        assertEquals(SITE.resources(), again.resources());
        Site changed = SiteBuilder.build(SampleBlog.repository()
                .file("posts/first-boot.md", article("It booted twice.", "title: First boot"), SampleBlog.MAR, SampleBlog.MAR).snapshot());
        assertFalse(SITE.resources().get("/posts/first-boot").etag().equals(changed.resources().get("/posts/first-boot").etag()));
        assertEquals(SITE.resources().get("/static/style.css"), changed.resources().get("/static/style.css"));
    }

    @Test
    void anEmptyRepositoryStillBuildsASiteThatSaysWhatIsMissing() {
        Site site = SiteBuilder.build(new TestRepository().snapshot());
        assertTrue(page(site, "/").contains("Nothing here yet."));
        assertTrue(page(site, "/status").contains("<code>.config/root</code> missing"));
    }

    @Test
    void anArticleTooDeepToRenderKeepsItsPageAndIsReported() {
        Site site = SiteBuilder.build(TestRepository.configured()
                .file("posts/deep.md", article(">".repeat(200_000) + " a", "title: Deep"))
                .file("posts/fine.md", article("Fine.", "title: Fine")).snapshot());
        assertEquals(List.of("posts/deep.md"), site.problems().stream().map(Problem::path).toList());
        assertTrue(page(site, "/posts/deep").contains(SiteBuilder.UNRENDERED));
        assertTrue(page(site, "/posts/fine").contains("<p>Fine.</p>"));
    }
}
