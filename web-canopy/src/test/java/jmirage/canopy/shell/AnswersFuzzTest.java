package jmirage.canopy.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import jmirage.core.Bytes;
import jmirage.http.Headers;
import jmirage.http.HttpRequest;
import jmirage.http.HttpResponse;

/**
 * The request fields the answers read from the network (the target, Host, If-None-Match,
 * Accept-Encoding): any values give an answer, never an exception, and the redirect to HTTPS names
 * an https URL on the host the client asked for, with nothing a header could be split on.
 */
class AnswersFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void anyRequestGetsAnAnswer(FuzzedDataProvider data) {
        String target = "/" + data.consumeString(60);
        Headers headers = Headers.of("Host", data.consumeString(60), "If-None-Match", data.consumeString(40),
                "Accept-Encoding", data.consumeString(40), "If-Modified-Since", data.consumeRemainingAsString());
        HttpRequest request = HttpRequest.of("GET", target, headers, Bytes.EMPTY);
        HttpResponse page = Answers.answer(AnswersTest.SITE, request, true);
        assertTrue(page.status() == 200 || page.status() == 304 || page.status() == 301 || page.status() == 404, page.toString());
        HttpResponse redirect = Answers.toHttps(request, 8443);
        if (redirect.status() == 301) {
            String location = redirect.headers().get("Location").orElseThrow();
            assertTrue(location.startsWith("https://"), location);
            String authority = location.substring(8, location.indexOf('/', 8));
            assertTrue(authority.chars().noneMatch(c -> c <= ' ' || c == '@' || c == '/' || c == '\\' || c >= 0x7f), authority);
        } else {
            assertEquals(400, redirect.status());
        }
    }
}
