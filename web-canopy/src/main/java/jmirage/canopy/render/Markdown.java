package jmirage.canopy.render;

import java.util.List;
import jmirage.canopy.content.SafeUrl;
import jmirage.core.Result;
import org.commonmark.Extension;
import org.commonmark.ext.footnotes.FootnotesExtension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.heading.anchor.HeadingAnchorExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.AttributeProvider;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * An article's Markdown as HTML: CommonMark (commonmark-java) with GFM tables, footnotes and an
 * {@code id} on every heading. HTML written in the Markdown is escaped, shown as text, unless the
 * site allows raw HTML; link and image URLs with a scheme that could run script are replaced by
 * {@code #} either way.
 */
final class Markdown {

    private static final List<Extension> EXTENSIONS = List.of(
            TablesExtension.create(), FootnotesExtension.create(), HeadingAnchorExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
    /**
     * Rewrites the URL of every link and image the renderer writes; rather than commonmark's own
     * sanitizer, which also marks every link rel="nofollow".
     */
    private static final AttributeProvider SAFE_SCHEMES = (node, tag, attributes) -> {
        String href = attributes.get("href");
        if (href != null && !SafeUrl.hasSafeScheme(href)) {
            attributes.put("href", "#");
        }
        String src = attributes.get("src");
        if (src != null && !SafeUrl.hasSafeScheme(src)) {
            attributes.put("src", "");
        }
    };
    private static final HtmlRenderer ESCAPING = renderer(true);
    private static final HtmlRenderer RAW = renderer(false);

    private Markdown() {}

    /**
     * The HTML of {@code markdown}, or why there is none. Parser and renderers are immutable and
     * thread-safe (commonmark-java's contract), so shared.
     */
    static Result<String, String> toHtml(String markdown, boolean allowRawHtml) {
        try {
            return Result.ok((allowRawHtml ? RAW : ESCAPING).render(PARSER.parse(markdown)));
        } catch (StackOverflowError e) {
            // commonmark-java parses nested emphasis and renders nested blocks by recursion: thousands
            // of levels (never written by hand) exhaust the stack; the parse allocates per call, so
            // nothing shared is left half-changed
            return Result.err("the Markdown nests too deeply to render (thousands of levels of quotes, lists or emphasis)");
        }
    }

    private static HtmlRenderer renderer(boolean escapeHtml) {
        return HtmlRenderer.builder().extensions(EXTENSIONS).escapeHtml(escapeHtml)
                .attributeProviderFactory(context -> SAFE_SCHEMES).build();
    }
}
