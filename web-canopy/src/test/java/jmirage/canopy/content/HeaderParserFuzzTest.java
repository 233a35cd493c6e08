package jmirage.canopy.content;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import jmirage.core.Result;

/**
 * Arbitrary text into the header parser: only a header or a {@link Problem} comes out, the problem
 * names a line of the text, a parsed article has a title and a redirect a safe target, and time
 * stays in proportion to the input.
 */
class HeaderParserFuzzTest {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @FuzzTest(maxDuration = "20s")
    void headerParserReturnsValuesOnly(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        long start = THREADS.getCurrentThreadCpuTime();
        Result<HeaderParser.Parsed, Problem> r = HeaderParser.parse("posts/fuzz.md", text);
        long elapsed = THREADS.getCurrentThreadCpuTime() - start;
        assertTrue(elapsed < 1_000_000_000L + 100_000L * text.length(), "parse took " + elapsed + " ns of CPU");
        switch (r) {
            case Result.Err<HeaderParser.Parsed, Problem>(Problem p) -> {
                assertTrue(p.line() >= 1 && p.line() <= text.split("\\R", -1).length, p.describe());
                assertTrue(p.path().equals("posts/fuzz.md"));
            }
            case Result.Ok<HeaderParser.Parsed, Problem>(HeaderParser.Parsed parsed) -> {
                switch (parsed.header()) {
                    case Header.Article a -> {
                        assertFalse(a.title().isEmpty());
                        a.authorUrl().ifPresent(url -> assertFalse(url.isSitePath()));
                    }
                    case Header.Redirect redirect -> assertTrue(SafeUrl.of(redirect.target().value()).isPresent());
                }
                assertTrue(parsed.body().length() <= text.length());
            }
        }
    }
}
