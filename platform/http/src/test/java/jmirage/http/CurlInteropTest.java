package jmirage.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jmirage.http.server.ServerConfig;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** curl (the Debian package) against our server on the host target, over loopback. */
@Tag("peer")
class CurlInteropTest {

    private static DemoServer demo;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() throws Exception {
        Sh.requireCommand("curl", "curl");
        demo = DemoServer.start(ServerConfig.defaults().withMaxBodyBytes(4 * 1024 * 1024));
    }

    @AfterAll
    static void stop() throws Exception {
        if (demo != null) {
            demo.close();
        }
    }

    private static Ran curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        command.addAll(List.of(args));
        Ran run = Command.of(command).run();
        assertEquals(0, run.exit(), () -> "curl failed: " + run.err());
        return run;
    }

    /** Header name (lower case) to value, from curl's -D - output of the last response. */
    private static String header(String head, String name) {
        Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + ":\\s*(.*?)\\r?$").matcher(head);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }

    private static int status(String head) {
        Matcher m = Pattern.compile("(?m)^HTTP/1\\.1 (\\d{3})").matcher(head);
        int last = -1;
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        return last;
    }

    @Test
    void getReturnsTheBody() throws Exception {
        Ran run = curl("-D", "-", demo.url("/hello"));
        assertEquals(200, status(run.out()));
        assertTrue(run.out().endsWith("\r\n\r\nhello\n"), run.out());
        assertEquals("6", header(run.out(), "Content-Length"));
        assertTrue(header(run.out(), "Date").endsWith(" GMT"));
    }

    @Test
    void headSendsTheLengthButNoBody() throws Exception {
        Ran run = curl("-I", demo.url("/hello"));
        assertEquals(200, status(run.out()));
        assertEquals("6", header(run.out(), "Content-Length"));
        assertTrue(run.out().endsWith("\r\n\r\n"), "no body after the head: " + run.out());
    }

    @Test
    void postEchoesTheBody() throws Exception {
        Ran run = curl("--data-binary", "name=unikernel&x=1", "-H", "Content-Type: text/plain", demo.url("/echo"));
        assertEquals("name=unikernel&x=1", run.out());
    }

    @Test
    void chunkedUploadArrivesWhole() throws Exception {
        byte[] data = new byte[300_000];
        new java.util.Random(7).nextBytes(data);
        Path file = temp.resolve("upload.bin");
        Files.write(file, data);
        Ran run = curl("-v", "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + file, demo.url("/echo"));
        assertTrue(run.err().contains("Transfer-Encoding: chunked"), run.err());
        assertArrayEquals(data, run.stdout());
    }

    @Test
    void keepAliveReusesTheConnectionForTwoUrls() throws Exception {
        long before = demo.server.acceptedConnections();
        Ran run = curl("-v", demo.url("/hello"), demo.url("/users/42"));
        assertEquals("hello\nuser 42\n", run.out());
        assertTrue(run.err().toLowerCase(Locale.ROOT).contains("re-using existing connection")
                || run.err().toLowerCase(Locale.ROOT).contains("reusing existing connection"), run.err());
        assertEquals(before + 1, demo.server.acceptedConnections(), "both requests on one connection");
    }

    @Test
    void expectContinueGetsAHundredContinueBeforeTheBody() throws Exception {
        Path file = temp.resolve("body.txt");
        Files.writeString(file, "x".repeat(5000));
        Ran run = curl("-v", "-H", "Expect: 100-continue", "--data-binary", "@" + file, demo.url("/echo"));
        assertTrue(run.err().contains("HTTP/1.1 100 Continue"), run.err());
        assertEquals("x".repeat(5000), run.out());
    }

    @Test
    void conditionalGetWithEtagGets304() throws Exception {
        Ran first = curl("-D", "-", "-o", "/dev/null", demo.url("/index.html"));
        String etag = header(first.out(), "ETag");
        assertTrue(etag != null && etag.startsWith("\""), first.out());
        Ran again = curl("-D", "-", "-H", "If-None-Match: " + etag, demo.url("/index.html"));
        assertEquals(304, status(again.out()), again.out());
        assertEquals(etag, header(again.out(), "ETag"));
        assertTrue(again.out().endsWith("\r\n\r\n"), "304 has no body");

        String lastModified = header(first.out(), "Last-Modified");
        Ran since = curl("-D", "-", "-H", "If-Modified-Since: " + lastModified, demo.url("/index.html"));
        assertEquals(304, status(since.out()));
        Ran other = curl("-D", "-", "-o", "/dev/null", "-H", "If-None-Match: \"something-else\"", demo.url("/"));
        assertEquals(200, status(other.out()));
    }

    @Test
    void gzipWhenAccepted() throws Exception {
        Ran zipped = curl("--compressed", "-D", temp.resolve("head").toString(), demo.url("/"));
        String head = Files.readString(temp.resolve("head"));
        assertEquals("gzip", header(head, "Content-Encoding"));
        assertEquals("Accept-Encoding", header(head, "Vary"));
        assertEquals(DemoServer.INDEX, zipped.out());
        assertTrue(Integer.parseInt(header(head, "Content-Length")) < DemoServer.INDEX.length() / 2);

        Ran plain = curl("-D", "-", demo.url("/"));
        assertEquals(null, header(plain.out(), "Content-Encoding"));
        assertTrue(plain.out().endsWith(DemoServer.INDEX));
    }

    @Test
    void chunkedResponseIsReassembled() throws Exception {
        Ran run = curl("-D", "-", demo.url("/stream"));
        assertEquals("chunked", header(run.out(), "Transfer-Encoding"));
        assertTrue(run.out().endsWith("one\ntwo\nthree\n"), run.out());
    }

    @Test
    void basicAuthChallengesThenAdmits() throws Exception {
        Ran refused = curl("-D", "-", demo.url("/private"));
        assertEquals(401, status(refused.out()));
        assertEquals("Basic realm=\"demo\", charset=\"UTF-8\"", header(refused.out(), "WWW-Authenticate"));
        Ran wrong = curl("-D", "-", "-u", "alice:nope", demo.url("/private"));
        assertEquals(401, status(wrong.out()));
        Ran admitted = curl("-u", "alice:s3cret:x", demo.url("/private"));
        assertEquals("welcome alice\n", admitted.out());
    }

    @Test
    void routerAnswers404And405() throws Exception {
        Ran missing = curl("-D", "-", demo.url("/no/such/thing"));
        assertEquals(404, status(missing.out()));
        Ran wrongMethod = curl("-D", "-", "-X", "DELETE", demo.url("/hello"));
        assertEquals(405, status(wrongMethod.out()));
        assertEquals("GET, HEAD", header(wrongMethod.out(), "Allow"));
        assertFalse(wrongMethod.out().isEmpty());
        assertEquals(StandardCharsets.UTF_8.name(), "UTF-8");
    }
}
