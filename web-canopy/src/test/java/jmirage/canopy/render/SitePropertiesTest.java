package jmirage.canopy.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jmirage.canopy.TestRepository;
import jmirage.canopy.content.Article;
import jmirage.canopy.content.Content;
import jmirage.canopy.content.ContentReader;
import jmirage.canopy.content.Problem;
import jmirage.canopy.content.Snapshot;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.w3c.dom.Element;

/**
 * Any repository, with headers and Markdown written by anyone: the build returns a site (never an
 * exception), every article is served or reported, no page carries script unless the site allows
 * raw HTML, and every text of the feed reads back through an XML parser.
 */
class SitePropertiesTest {

    /** What an attacker would try, mixed into random text. */
    private static final List<String> HOSTILE = List.of(
            "<script>alert(1)</script>", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "<img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))", "[x](<java\tscript:alert(1)>)", "![i](javascript:alert(1))", "<javascript:alert(1)>",
            "[x](javascript&#58;alert(1))", "[x](&#106;avascript:alert(1))", "[x]: javascript:alert(1)\n\n[x]",
            "<a href=\"javascript:alert(1)\">a</a>", "<svg onload=alert(1)>", "\"><script>", "' onmouseover='alert(1)",
            "<div>\n\n*md*\n\n</div>", "<!-- c -->", "<iframe src=\"data:text/html,x\">", "[x](vbscript:msgbox)",
            "[x](data:text/html;base64,PHNjcmlwdD4=)", "]]>", "&amp;", "&#0;", "\u0000", "\uFFFE", "| a |\n|---|\n| <script> |",
            "[^1]\n\n[^1]: <script>x</script>", "# <b>h</b>", "`<script>`", "```\n<script>\n```", "\\<script>");

    private static final List<String> KEYS = List.of("title", "author", "author_url", "abstract", "tags", "date", "redirect");

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(30),
                Arbitraries.strings().withChars("<>\"'&:/#[]()!*`|\\-=\n ").ofMaxLength(30),
                Arbitraries.of(HOSTILE),
                Arbitraries.of(HOSTILE).list().ofMaxSize(4).map(parts -> String.join(" ", parts)));
    }

    private Arbitrary<String> headerLine() {
        Arbitrary<String> value = text().map(t -> t.replaceAll("\\R", " "));
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of(KEYS).filter(k -> !k.equals("redirect")), value).as((k, v) -> k + ": " + v),
                Combinators.combine(Arbitraries.of(KEYS), value).as((k, v) -> k + ": " + v),
                Arbitraries.of("date: 2026-02-03", "date: 2026-02-03T04:05:06+07:00", "author_url: https://a.example/",
                        "redirect: /posts/a", "redirect: https://x.example/", "tags: a, b, <i>c</i>"),
                value);
    }

    @Provide
    Arbitrary<String> articleText() {
        Arbitrary<String> value = text().map(t -> t.replaceAll("\\R", " "));
        Arbitrary<String> optional = Arbitraries.oneOf(Arbitraries.just(""), value);
        Arbitrary<String> wellFormed = Combinators.combine(value, optional, optional, optional,
                        Arbitraries.of("", "date: 2025-05-06", "date: 2026-02-03T04:05:06.5+07:00"))
                .as((title, author, summary, tags, date) -> "---\ntitle: T" + title + "\nauthor: " + author
                        + "\nabstract: " + summary + "\ntags: x" + tags + "\n" + date + "\n---\n");
        Arbitrary<String> anyHeader = headerLine().list().ofMaxSize(6).map(lines -> "---\n" + String.join("\n", lines) + "\n---\n");
        Arbitrary<String> body = text().list().ofMaxSize(6).map(parts -> String.join("\n", parts));
        return Arbitraries.frequencyOf(
                Tuple.of(4, Combinators.combine(wellFormed, body).as((h, b) -> h + b)),
                Tuple.of(2, Combinators.combine(anyHeader, body).as((h, b) -> h + b)),
                Tuple.of(1, text()));
    }

    record GeneratedFile(String path, String text, Instant when) {}

    @Provide
    Arbitrary<Snapshot> repositories() {
        Arbitrary<String> path = Arbitraries.of("about.md", "posts/a.md", "posts/b.md", "notes/c.md", "x y/é.md", "posts/deep/d.md");
        Arbitrary<Instant> when = Arbitraries.longs().between(0, 4_000_000_000L).map(Instant::ofEpochSecond);
        return Combinators.combine(Combinators.combine(path, articleText(), when).as(GeneratedFile::new).list().ofMinSize(1).ofMaxSize(6),
                        Arbitraries.of("index_page", "blog_name", "root", "uuid"), text())
                .as((files, configKey, configValue) -> {
                    TestRepository repo = TestRepository.configured().file(".config/" + configKey, configValue);
                    for (GeneratedFile f : files) {
                        repo.file(f.path(), f.text(), f.when(), f.when());
                    }
                    return repo.snapshot();
                });
    }

    @Property(tries = 300)
    void everyArticleIsServedRedirectedOrReported(@ForAll("repositories") Snapshot snapshot) {
        Site site = SiteBuilder.build(snapshot);
        for (var file : snapshot.files().keySet()) {
            String name = file.toString();
            if (name.startsWith(".config/")) {
                continue;
            }
            String path = "/" + name.substring(0, name.length() - 3).replace(" ", "%20").replace("é", "%C3%A9");
            boolean reported = site.problems().stream().map(Problem::path).anyMatch(name::equals);
            assertTrue(site.resources().containsKey(path) || site.redirects().containsKey(path) || reported, name);
        }
    }

    @Property(tries = 300)
    void noPageCarriesScriptUnlessRawHtmlIsAllowed(@ForAll("repositories") Snapshot snapshot) {
        Site site = SiteBuilder.build(snapshot);
        List<Resource> pages = new ArrayList<>(site.resources().values().stream().filter(r -> r.mediaType().startsWith("text/html")).toList());
        pages.add(site.notFound());
        for (Resource page : pages) {
            assertNoScript(page.body().toUtf8());
        }
    }

    private static final Pattern TAG = Pattern.compile("<([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>");
    private static final Pattern URL_ATTRIBUTE = Pattern.compile("(?i)\\s(?:href|src|action|formaction|xlink:href)\\s*=\\s*\"([^\"]*)\"");
    private static final Pattern HANDLER = Pattern.compile("(?i)(?:^|\\s)on[a-z]+\\s*=");
    private static final Pattern NUMERIC_REFERENCE = Pattern.compile("&#(x?)([0-9a-fA-F]+);");

    /** Markup, not text: every tag the page really has, its attributes, and the URLs in them. */
    static void assertNoScript(String html) {
        assertFalse(html.toLowerCase(Locale.ROOT).contains("<script"), html);
        Matcher tag = TAG.matcher(html);
        while (tag.find()) {
            String attributes = tag.group(2);
            assertFalse(HANDLER.matcher(attributes.replaceAll("\"[^\"]*\"", "\"\"")).find(), tag.group());
            Matcher url = URL_ATTRIBUTE.matcher(attributes);
            while (url.find()) {
                String seen = decode(url.group(1)).replaceAll("[\\x00-\\x20\\x7f]", "").toLowerCase(Locale.ROOT);
                for (String scheme : List.of("javascript:", "vbscript:", "data:")) {
                    assertFalse(seen.startsWith(scheme), tag.group());
                }
            }
        }
    }

    @Example
    void theCheckSeesScriptInASiteThatAllowsRawHtml() {
        Site site = SiteBuilder.build(TestRepository.configured().file(".config/allow_raw_html", "true")
                .file("posts/a.md", "---\ntitle: A\n---\n<b onclick=\"x()\">b</b>\n").snapshot());
        assertThrows(AssertionError.class, () -> assertNoScript(site.resources().get("/posts/a").body().toUtf8()));
        assertThrows(AssertionError.class, () -> assertNoScript("<a href=\"&#x6A;avascript:x\">a</a>"));
        assertThrows(AssertionError.class, () -> assertNoScript("<p>x</p><SCRIPT>"));
    }

    /** The attribute value as a browser reads it: references decoded. */
    private static String decode(String value) {
        Matcher m = NUMERIC_REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int code = Integer.parseInt(m.group(2), m.group(1).isEmpty() ? 10 : 16);
            m.appendReplacement(out, Matcher.quoteReplacement(Character.isValidCodePoint(code) ? Character.toString(code) : ""));
        }
        m.appendTail(out);
        return out.toString().replace("&colon;", ":").replace("&Tab;", "\t").replace("&NewLine;", "\n")
                .replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    @Property(tries = 300)
    void everyTextOfTheFeedReadsBackThroughAnXmlParser(@ForAll("repositories") Snapshot snapshot) {
        Site site = SiteBuilder.build(snapshot);
        Content content = ContentReader.read(snapshot);
        Statistics.label("entries in the feed").collect(Math.min(AtomFeed.ENTRIES, content.posts().size()));
        Element feed = AtomFeedTest.feed(site).getDocumentElement();
        assertEquals(legal(content.config().blogName()), AtomFeedTest.text(feed, "title"));
        assertEquals(legal(content.config().feedId()), AtomFeedTest.text(feed, "id"));
        List<Element> entries = AtomFeedTest.children(feed, "entry");
        List<Article> posts = content.posts().subList(0, Math.min(AtomFeed.ENTRIES, content.posts().size()));
        assertEquals(posts.size(), entries.size());
        for (int i = 0; i < posts.size(); i++) {
            Article a = posts.get(i);
            Element entry = entries.get(i);
            assertEquals(legal(a.title()), AtomFeedTest.text(entry, "title"));
            assertEquals(a.header().summary().map(SitePropertiesTest::legal).orElse(""),
                    a.header().summary().isPresent() ? AtomFeedTest.text(entry, "summary") : "");
            assertEquals(a.header().author().map(SitePropertiesTest::legal),
                    AtomFeedTest.children(entry, "author").stream().map(e -> AtomFeedTest.text(e, "name")).findFirst());
            assertEquals(a.header().tags().stream().map(SitePropertiesTest::legal).toList(),
                    AtomFeedTest.children(entry, "category").stream().map(e -> e.getAttribute("term")).toList());
        }
    }

    /** {@code text} with every character XML 1.0 cannot hold as U+FFFD (Bytes.utf8 already made lone surrogates '?'). */
    private static String legal(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> out.appendCodePoint(
                c == 9 || c == 10 || c == 13 || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000 ? c : 0xFFFD));
        return out.toString();
    }

    @Property(tries = 50)
    void theSameSnapshotAlwaysBuildsTheSameSite(@ForAll("repositories") Snapshot snapshot) {
        Site site = SiteBuilder.build(snapshot);
        Map<String, Resource> again = SiteBuilder.build(snapshot).resources();
        assertEquals(site.resources(), again);
    }
}
