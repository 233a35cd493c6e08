package jmirage.canopy.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jmirage.core.Result;
import org.junit.jupiter.api.Test;

class MarkdownTest {

    private static String escaped(String markdown) {
        return Markdown.toHtml(markdown, false).orElseThrow();
    }

    @Test
    void rendersCommonMark() {
        assertEquals("<p>A <em>pure</em> core, <code>handle(state)</code>.</p>\n", escaped("A *pure* core, `handle(state)`."));
    }

    @Test
    void rendersGfmTables() {
        String html = escaped("| a | b |\n|---|--:|\n| 1 | 2 |\n");
        assertTrue(html.startsWith("<table>\n<thead>\n<tr>\n<th>a</th>\n<th align=\"right\">b</th>"), html);
        assertTrue(html.contains("<td align=\"right\">2</td>"), html);
    }

    @Test
    void rendersFootnotesWithLinksBothWays() {
        String html = escaped("Claim[^src].\n\n[^src]: The source.\n");
        assertTrue(html.contains("<a href=\"#fn-src\" id=\"fnref-src\" data-footnote-ref>1</a>"), html);
        assertTrue(html.contains("<li id=\"fn-src\">"), html);
        assertTrue(html.contains("href=\"#fnref-src\""), html);
    }

    @Test
    void givesEveryHeadingAnAnchorUniqueInThePage() {
        assertEquals("<h2 id=\"tcp-timers\">TCP timers</h2>\n<h2 id=\"tcp-timers-1\">TCP timers</h2>\n", escaped("## TCP timers\n## TCP timers\n"));
    }

    @Test
    void escapesRawHtmlUnlessTheSiteAllowsIt() {
        String markdown = "<div onclick=\"x()\">hi</div>\n\nInline <b>bold</b> and <script>alert(1)</script>.\n";
        String escaped = escaped(markdown);
        assertFalse(escaped.contains("<div") || escaped.contains("<b>") || escaped.contains("<script"), escaped);
        assertTrue(escaped.contains("&lt;div onclick=&quot;x()&quot;&gt;hi&lt;/div&gt;"), escaped);
        String raw = Markdown.toHtml(markdown, true).orElseThrow();
        assertTrue(raw.contains("<div onclick=\"x()\">hi</div>") && raw.contains("<b>bold</b>"), raw);
    }

    @Test
    void linksAndImagesThatCouldRunScriptLoseTheirUrl() {
        assertEquals("<p><a href=\"#\">x</a> <a href=\"#\">y</a> <img src=\"\" alt=\"z\" /></p>\n",
                escaped("[x](javascript:alert(1)) [y](<java\tscript:alert(1)>) ![z](data:image/svg+xml,<svg/onload=alert(1)>)"));
        assertEquals("<p><a href=\"#\">javascript:alert(1)</a></p>\n", escaped("<javascript:alert(1)>"));
        assertEquals("<p><a href=\"#\">x</a></p>\n", escaped("[x](javascript&#58;alert(1))"));
        assertEquals("<p><a href=\"#\">x</a></p>\n", Markdown.toHtml("[x](JAVASCRIPT:alert(1))", true).orElseThrow());
    }

    @Test
    void keepsOrdinaryLinksAsWritten() {
        assertEquals("<p><a href=\"https://mirage.io/\">a</a> <a href=\"../posts/x\">b</a> <a href=\"mailto:a@b.example\">c</a> <a href=\"#top\">d</a></p>\n",
                escaped("[a](https://mirage.io/) [b](../posts/x) [c](mailto:a@b.example) [d](#top)"));
    }

    @Test
    void markdownNestedBeyondTheStackIsAnErrorNotACrash() {
        String emphasis = "*".repeat(200_000) + "a" + "*".repeat(200_000);
        String quotes = ">".repeat(200_000) + " a";
        for (String markdown : new String[] {emphasis, quotes}) {
            assertEquals(Result.err("the Markdown nests too deeply to render (thousands of levels of quotes, lists or emphasis)"),
                    Markdown.toHtml(markdown, false));
        }
    }
}
