package jmirage.canopy.content;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeUrlTest {

    @ParameterizedTest
    @ValueSource(strings = {"/posts/new", "/", "https://example.org/a?b#c", "HTTP://EXAMPLE.ORG", "mailto:ada@example.org"})
    void sitePathsAndHttpAndMailtoAreSafe(String url) {
        assertTrue(SafeUrl.of(url).isPresent(), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
        "java\u0000script:alert(1)", "data:text/html,<script>", "vbscript:msgbox", "//evil.example/", "/\\evil.example",
        "relative/path", "", "/a b"})
    void everythingElseIsRefused(String url) {
        assertFalse(SafeUrl.of(url).isPresent(), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "\u0001JAVASCRIPT:x", "java\nscript:x", "jav\rascript:x", "data:image/svg+xml,x", "file:///etc/passwd"})
    void aLinkWhoseSchemeCouldRunScriptHasNoSafeScheme(String url) {
        assertFalse(SafeUrl.hasSafeScheme(url), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"other-post", "../posts/x", "#section", "https://example.org/", "?q=1", "mailto:a@b"})
    void relativeReferencesAndAllowedSchemesAreSafeLinks(String url) {
        assertTrue(SafeUrl.hasSafeScheme(url), url);
    }
}
