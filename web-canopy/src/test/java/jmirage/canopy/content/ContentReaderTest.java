package jmirage.canopy.content;

import static jmirage.canopy.TestRepository.article;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.canopy.TestRepository;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.kv.Key;
import org.junit.jupiter.api.Test;

class ContentReaderTest {

    private static final Instant JAN = Instant.parse("2026-01-05T10:00:00Z");
    private static final Instant MAR = Instant.parse("2026-03-05T10:00:00Z");
    private static final Instant JUN = Instant.parse("2026-06-05T10:00:00Z");

    private static Content read(TestRepository repo) {
        return ContentReader.read(repo.snapshot());
    }

    @Test
    void rootFilesArePagesFoldersAreCategoriesNewestFirst() {
        Content content = read(TestRepository.configured()
                .file("about.md", article("Who we are.", "title: About"), JAN, JAN)
                .file("contact.md", article("Mail us.", "title: Contact"), JAN, JAN)
                .file("posts/old.md", article("Old.", "title: Old"), JAN, JAN)
                .file("posts/new.md", article("New.", "title: New"), JUN, JUN)
                .file("posts/middle.md", article("Mid.", "title: Middle"), MAR, JUN)
                .file("notes/one.md", article("One.", "title: One"), MAR, MAR));
        assertEquals(List.of("/about", "/contact"), content.pages().stream().map(Article::path).toList());
        assertEquals(List.of("notes", "posts"), content.categories().stream().map(Listing::name).toList());
        assertEquals(List.of("/posts/new", "/posts/middle", "/posts/old"),
                content.categories().get(1).articles().stream().map(Article::path).toList());
        assertEquals("/posts", content.categories().get(1).path());
        // the index and the feed: every category's articles, not the pages
        assertEquals(List.of("/posts/new", "/notes/one", "/posts/middle", "/posts/old"),
                content.posts().stream().map(Article::path).toList());
        assertEquals(List.of(), content.problems());
    }

    @Test
    void datesComeFromTheGitHistoryUnlessTheHeaderGivesOne() {
        Content content = read(TestRepository.configured()
                .file("posts/dated.md", article("", "title: Dated", "date: 2025-12-24"), MAR, JUN)
                .file("posts/undated.md", article("", "title: Undated"), MAR, JUN)
                .file("posts/future.md", article("", "title: Future", "date: 2027-01-01T08:00:00+01:00"), MAR, JUN));
        Article dated = find(content, "/posts/dated");
        assertEquals(Instant.parse("2025-12-24T00:00:00Z"), dated.published());
        assertEquals(JUN, dated.updated());
        Article undated = find(content, "/posts/undated");
        assertEquals(MAR, undated.published());
        assertEquals(JUN, undated.updated());
        Article future = find(content, "/posts/future");
        assertEquals(Instant.parse("2027-01-01T07:00:00Z"), future.published());
        assertEquals(future.published(), future.updated(), "never updated before it was published");
    }

    @Test
    void aBrokenArticleIsAProblemAndTheRestIsRead() {
        Content content = read(TestRepository.configured()
                .file("posts/good.md", article("Fine.", "title: Good"))
                .file("posts/bad.md", article("Broken.", "title: Bad", "date: 2026-99-01"))
                .file("posts/binary.md", Bytes.of((byte) 0xff, (byte) 0xfe, (byte) 0x00), JAN, JAN));
        assertEquals(List.of("/posts/good"), content.posts().stream().map(Article::path).toList());
        assertEquals(List.of(new Problem("posts/bad.md", 3, reasonOf("2026-99-01")),
                Problem.of("posts/binary.md", "not UTF-8 text")), content.problems());
    }

    private static String reasonOf(String date) {
        return switch (Rfc3339.parse(date)) {
            case Result.Err<Instant, String>(String reason) -> reason;
            case Result.Ok<Instant, String>(Instant i) -> throw new AssertionError(i);
        };
    }

    @Test
    void staticFilesAreKeptAsTheyAreAndOtherFilesAndHiddenOnesAreLeftOut() {
        Bytes png = Bytes.of((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        Content content = read(TestRepository.configured()
                .file("static/img/logo.png", png, JAN, MAR)
                .file("static/style.css", "body{}")
                .file("README.txt", "not published")
                .file("posts/photo.jpg", "not published either")
                .file(".github/workflows/ci.md", article("", "title: hidden"))
                .file("posts/.draft.md", article("", "title: draft")));
        assertEquals(List.of(new StaticFile(Key.of("static/img/logo.png"), "/static/img/logo.png", png, MAR),
                        new StaticFile(Key.of("static/style.css"), "/static/style.css", Bytes.utf8("body{}"), TestRepository.FIRST_COMMIT)),
                content.statics());
        assertEquals(List.of(), content.posts());
        assertEquals(List.of(), content.pages());
        assertEquals(List.of(), content.problems());
    }

    @Test
    void namesTheSiteUsesItselfAreRefused() {
        Content content = read(TestRepository.configured()
                .file("tags.md", article("", "title: Tags"))
                .file("atom/x.md", article("", "title: X"))
                .file("static.md", article("", "title: S")));
        assertEquals(List.of("atom/x.md", "static.md", "tags.md"), content.problems().stream().map(Problem::path).toList());
        assertTrue(content.problems().getFirst().reason().startsWith("the name 'atom' is the site's own"));
    }

    @Test
    void aPageNamedAsACategoryIsRefusedAndTheCategoryKept() {
        Content content = read(TestRepository.configured()
                .file("posts.md", article("", "title: Posts page"))
                .file("posts/a.md", article("", "title: A")));
        assertEquals(List.of(), content.pages());
        assertEquals(List.of(Problem.of("posts.md", "its URL /posts is the category of the folder beside it")), content.problems());
    }

    @Test
    void pathsArePercentEncodedSegmentBySegment() {
        Content content = read(TestRepository.configured()
                .file("café notes/hello world.md", article("", "title: Hi", "tags: C++, ünïcode")));
        Article a = content.posts().getFirst();
        assertEquals("/caf%C3%A9%20notes/hello%20world", a.path());
        assertEquals(List.of("/tags/C%2B%2B", "/tags/%C3%BCn%C3%AFcode"), content.tags().stream().map(Listing::path).toList());
        assertEquals("/caf%C3%A9%20notes", content.categories().getFirst().path());
    }

    @Test
    void redirectsAreReadBesideArticles() {
        Content content = read(TestRepository.configured()
                .file("posts/old-name.md", article("", "redirect: /posts/new-name"))
                .file("posts/new-name.md", article("", "title: New name")));
        assertEquals(List.of(new Redirect(Key.of("posts/old-name.md"), "/posts/old-name", new SafeUrl("/posts/new-name"))),
                content.redirects());
        assertEquals(1, content.posts().size());
    }

    @Test
    void tagsListEveryArticleCarryingThemPagesIncluded() {
        Content content = read(TestRepository.configured()
                .file("about.md", article("", "title: About", "tags: mirage"), JAN, JAN)
                .file("posts/a.md", article("", "title: A", "tags: mirage, java"), MAR, MAR));
        assertEquals(List.of("java", "mirage"), content.tags().stream().map(Listing::name).toList());
        assertEquals(List.of("/posts/a", "/about"), content.tags().get(1).articles().stream().map(Article::path).toList());
    }

    @Test
    void theIndexPageIsTheArticleTheConfigurationNames() {
        Content found = read(TestRepository.configured().file(".config/index_page", "welcome")
                .file("welcome.md", article("", "title: Welcome")));
        assertEquals(Optional.of("/welcome"), found.indexPage().map(Article::path));
        Content missing = read(TestRepository.configured().file(".config/index_page", "posts/nothing"));
        assertEquals(Optional.empty(), missing.indexPage());
        assertEquals(List.of(Problem.of(".config/index_page", "no article posts/nothing.md; the index lists the newest articles")),
                missing.problems());
    }

    private static Article find(Content content, String path) {
        return content.posts().stream().filter(a -> a.path().equals(path)).findFirst().orElseThrow();
    }

    @Test
    void anArticleLargerThanAnyWrittenByHandIsRefused() {
        String huge = article("x".repeat(ContentReader.MAX_ARTICLE_BYTES), "title: Huge");
        Content content = read(TestRepository.configured().file("posts/huge.md", huge));
        assertEquals(List.of(Problem.of("posts/huge.md", huge.length() + " bytes; an article has at most 1048576")), content.problems());
    }
}
