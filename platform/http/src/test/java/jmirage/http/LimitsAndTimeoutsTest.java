package jmirage.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jmirage.http.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Limits (414, 431, 413, 400, 417, 505), pipelining order and the timeouts, with raw sockets on loopback. */
class LimitsAndTimeoutsTest {

    private static DemoServer demo;

    @BeforeAll
    static void start() throws Exception {
        ServerConfig config = ServerConfig.defaults()
                .withLimits(256, 1024, 1000)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(5));
        demo = DemoServer.start(config);
    }

    @AfterAll
    static void stop() throws Exception {
        demo.close();
    }

    /** Sends {@code request}, then reads until the server closes (or 10 s pass). */
    private static String exchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", demo.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return readToEnd(socket.getInputStream());
        }
    }

    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // a reset after the answer still leaves the answer read so far
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** Sends {@code request} on a connection of its own and asserts the answer's status; returns the whole answer. */
    private static String answeredWith(int status, String request) throws IOException {
        String response = exchange(request);
        assertEquals(status, Integer.parseInt(response.substring(9, 12)), response);
        return response;
    }

    @Test
    void requestLineOverTheLimitGets414() throws IOException {
        String response = answeredWith(414, "GET /" + "a".repeat(400) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(response.contains("Connection: close"));
    }

    @Test
    void headersOverTheLimitGet431() throws IOException {
        answeredWith(431, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(2000) + "\r\n\r\n");
    }

    @Test
    void declaredBodyOverTheLimitGets413WithoutReadingIt() throws IOException {
        answeredWith(413, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n");
    }

    @Test
    void chunkedBodyOverTheLimitGets413() throws IOException {
        String chunk = "400\r\n" + "c".repeat(0x400) + "\r\n";
        answeredWith(413, "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk + "0\r\n\r\n");
    }

    @Test
    void chunkedBodyWithinTheLimitIsEchoed() throws IOException {
        String response = answeredWith(200, "POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n");
        assertTrue(response.endsWith("\r\n\r\nhello, world"), response);
    }

    @Test
    void garbageGets400() throws IOException {
        answeredWith(400, "\u0001\u0002 hello there\r\n\r\n");
    }

    @Test
    void http11WithoutHostGets400() throws IOException {
        answeredWith(400, "GET /hello HTTP/1.1\r\n\r\n");
    }

    @Test
    void unknownExpectationGets417() throws IOException {
        answeredWith(417, "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: magic\r\nContent-Length: 1\r\n\r\nx");
    }

    @Test
    void otherMajorVersionGets505() throws IOException {
        answeredWith(505, "GET / HTTP/2.0\r\nHost: x\r\n\r\n");
        answeredWith(505, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    }

    @Test
    void bothTransferEncodingAndContentLengthGet400() throws IOException {
        // RFC 9112 6.1: a request smuggling vector; refuse rather than pick one framing.
        String response = answeredWith(400, "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"
                + "0\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(!response.contains("hello\n"), "nothing after the refused request is served");
    }

    @Test
    void http10WithoutKeepAliveIsClosedAfterTheAnswer() throws IOException {
        String response = answeredWith(200, "GET /hello HTTP/1.0\r\n\r\n");
        assertTrue(response.endsWith("hello\n"));
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        // The first is slow; a server that answered as work completes would send /hello's answer first.
        String response = exchange("GET /slow/300 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
                + "HEAD /users/7 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /users/8 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        Matcher m = Pattern.compile("HTTP/1\\.1 200 OK").matcher(response);
        int answers = 0;
        while (m.find()) {
            answers++;
        }
        assertEquals(4, answers, response);
        int slow = response.indexOf("slept 300\n");
        int hello = response.indexOf("hello\n");
        int user8 = response.indexOf("user 8\n");
        assertTrue(slow >= 0 && slow < hello && hello < user8, response);
        assertTrue(!response.contains("user 7\n"), "HEAD answered without body");
    }

    @Test
    void slowlorisIsDisconnectedAfterTheHeaderTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", demo.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            long start = System.nanoTime();
            out.write("GET /hello HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            // Keep dribbling a header line every 200 ms on another thread, for up to 6 s.
            Thread dribbler = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 30; i++) {
                        Thread.sleep(200);
                        out.write(("X-" + i + ": y\r\n").getBytes(StandardCharsets.US_ASCII));
                    }
                } catch (IOException | InterruptedException expected) {
                    // the server cut us off
                }
            });
            String response = readToEnd(socket.getInputStream());
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            dribbler.interrupt();
            assertTrue(response.startsWith("HTTP/1.1 408"), response);
            assertTrue(elapsedMillis >= 900 && elapsedMillis < 5000, "cut off after " + elapsedMillis + " ms");
        }
    }

    @Test
    void idleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", demo.port())) {
            socket.setSoTimeout(10_000);
            long start = System.nanoTime();
            String response = readToEnd(socket.getInputStream());
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals("", response, "an idle connection is closed without an answer");
            assertTrue(elapsedMillis >= 1900 && elapsedMillis < 6000, "closed after " + elapsedMillis + " ms");
        }
    }
}
