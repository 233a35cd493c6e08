package jmirage.canopy.content;

import static jmirage.canopy.TestRepository.article;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.core.Result;
import org.junit.jupiter.api.Test;

class HeaderParserTest {

    private static HeaderParser.Parsed ok(String text) {
        return HeaderParser.parse("posts/a.md", text).orElseThrow();
    }

    private static Problem problem(String text) {
        Result<HeaderParser.Parsed, Problem> r = HeaderParser.parse("posts/a.md", text);
        return switch (r) {
            case Result.Err<HeaderParser.Parsed, Problem>(Problem p) -> p;
            case Result.Ok<HeaderParser.Parsed, Problem>(HeaderParser.Parsed p) -> throw new AssertionError("parsed: " + p);
        };
    }

    @Test
    void readsEveryKeyOfACanopyHeader() {
        HeaderParser.Parsed parsed = ok(article("# Hello\n\nBody.\n",
                "title: Unikernels in Java", "author: Ada Lovelace", "author_url: https://ada.example/",
                "abstract: What a pure core buys.", "tags: mirage, java", "date: 2026-12-06"));
        assertEquals(new Header.Article("Unikernels in Java", Optional.of("Ada Lovelace"),
                Optional.of(new SafeUrl("https://ada.example/")), Optional.of("What a pure core buys."),
                List.of("mirage", "java"), Optional.of(Instant.parse("2026-12-06T00:00:00Z"))), parsed.header());
        assertEquals("# Hello\n\nBody.\n", parsed.body());
    }

    @Test
    void quotedValuesLoseTheirQuotesAndMayHoldColons() {
        Header.Article h = (Header.Article) ok(article("", "title: \"Why: a story\"", "author: 'O''Neil'")).header();
        assertEquals("Why: a story", h.title());
        assertEquals(Optional.of("O''Neil"), h.author());
    }

    @Test
    void tagsAreTrimmedWithoutEmptiesOrRepeatsAndMayBeABracketedList() {
        Header.Article h = (Header.Article) ok(article("", "title: T", "tags: [ ocaml , java,, ocaml ]")).header();
        assertEquals(List.of("ocaml", "java"), h.tags());
    }

    @Test
    void acceptsWindowsLineEndingsAndAByteOrderMark() {
        HeaderParser.Parsed parsed = ok("\uFEFF---\r\ntitle: T\r\n---\r\nbody\r\n");
        assertEquals("T", ((Header.Article) parsed.header()).title());
        assertEquals("body\n", parsed.body());
    }

    @Test
    void anArticleWithoutAHeaderIsAProblemOnLineOne() {
        assertEquals(new Problem("posts/a.md", 1, "an article starts with a '---' line, then its header"), problem("# Just markdown\n"));
    }

    @Test
    void anUnclosedHeaderIsAProblem() {
        assertEquals("the header is not closed by a '---' line", problem("---\ntitle: T\nauthor: A\n").reason());
    }

    @Test
    void aLineThatIsNotKeyValueIsReportedAtItsLine() {
        Problem p = problem(article("", "title: T", "this is not a header line"));
        assertEquals(3, p.line());
        assertEquals("posts/a.md:3: a header line is 'key: value'", p.describe());
    }

    @Test
    void anUnknownKeyIsReportedRatherThanDropped() {
        Problem p = problem(article("", "title: T", "abstrct: typo"));
        assertEquals(3, p.line());
        assertTrue(p.reason().startsWith("unknown header key 'abstrct'"), p.reason());
    }

    @Test
    void aKeyGivenTwiceIsAProblem() {
        assertEquals(new Problem("posts/a.md", 3, "'title' is given twice"), problem(article("", "title: A", "title: B")));
    }

    @Test
    void aBadDateIsReportedAtItsLine() {
        Problem p = problem(article("", "title: T", "author: A", "date: 2026-02-30"));
        assertEquals(4, p.line());
        assertTrue(p.reason().contains("2026-02-30"), p.reason());
        assertEquals(4, problem(article("", "title: T", "author: A", "date: yesterday")).line());
    }

    @Test
    void anArticleNeedsATitle() {
        assertEquals(new Problem("posts/a.md", 1, "an article needs a title"), problem(article("body", "author: A")));
        assertEquals(2, problem(article("body", "title:   ")).line());
    }

    @Test
    void anAuthorUrlMustBeHttpOrMailto() {
        assertEquals(3, problem(article("", "title: T", "author_url: javascript:alert(1)")).line());
        assertEquals(3, problem(article("", "title: T", "author_url: /about")).line());
        Header.Article h = (Header.Article) ok(article("", "title: T", "author_url: mailto:ada@example.org")).header();
        assertEquals(Optional.of(new SafeUrl("mailto:ada@example.org")), h.authorUrl());
    }

    @Test
    void aTagOfDotsAloneIsRefusedSinceItWouldBeADotSegment() {
        assertTrue(problem(article("", "title: T", "tags: ok, ..")).reason().contains("'..'"));
    }

    @Test
    void aRedirectNeedsNoTitleAndGoesToASitePathOrAnHttpUrl() {
        assertEquals(new Header.Redirect(new SafeUrl("/posts/new")), ok(article("", "redirect: /posts/new")).header());
        assertEquals(new Header.Redirect(new SafeUrl("https://elsewhere.example/x")),
                ok(article("", "redirect: https://elsewhere.example/x", "title: Moved")).header());
        assertEquals(2, problem(article("", "redirect: javascript:alert(1)")).line());
        assertEquals(2, problem(article("", "redirect: //evil.example/")).line());
        assertEquals(2, problem(article("", "redirect: relative/path")).line());
    }
}
