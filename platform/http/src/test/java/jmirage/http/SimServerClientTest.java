package jmirage.http;

import jmirage.sim.MemoryFlow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.Promise;
import jmirage.core.RecordingLog;
import jmirage.core.Result;
import jmirage.http.client.ClientConfig;
import jmirage.http.client.HttpClientConnection;
import jmirage.http.client.HttpError;
import jmirage.http.server.HttpServer;
import jmirage.http.server.Router;
import jmirage.http.server.ServerConfig;
import jmirage.sim.SimScheduler;
import jmirage.sim.VirtualClock;
import org.junit.jupiter.api.Test;

/** Our server and our client over an in-memory flow pair on virtual time. */
class SimServerClientTest {

    private final VirtualClock clock = new VirtualClock(VirtualClock.DEFAULT_START);
    private final SimScheduler scheduler = new SimScheduler(clock);
    private final List<LogRecord> records = new ArrayList<>();
    private final RecordingLog log = new RecordingLog("http", LogLevel.DEBUG, clock, records::add);
    private final Promise<HttpResponse> never = Promise.pending();

    private final Router router = Router.builder()
            .get("/hello", (request, p) -> Promise.resolved(HttpResponse.text(200, "hello\n")))
            .post("/echo", (request, p) -> Promise.resolved(HttpResponse.of(201, Headers.EMPTY, request.body())))
            .get("/later", (request, p) -> scheduler.sleep(Duration.ofSeconds(3)).map(u -> HttpResponse.text(200, "later\n")))
            .get("/never", (request, p) -> never)
            .get("/bye", (request, p) -> Promise.resolved(HttpResponse.text(200, "bye\n").withHeader("Connection", "close")))
            .get("/stream", (request, p) -> {
                int[] left = {3};
                return Promise.resolved(new HttpResponse(200, Headers.EMPTY, new Body.Chunked(() ->
                        scheduler.sleep(Duration.ofMillis(100)).map(u -> left[0]-- > 0
                                ? Optional.of(Bytes.utf8("part" + left[0] + ";"))
                                : Optional.<Bytes>empty()))));
            })
            .build();

    private final HttpServer server = new HttpServer(scheduler, clock, log, ServerConfig.defaults(), router);
    private final MemoryFlow[] ends = MemoryFlow.pair(scheduler);
    private final HttpClientConnection client;

    SimServerClientTest() {
        server.serve(ends[1]);
        client = HttpClientConnection.over(ends[0], scheduler, ClientConfig.defaults());
    }

    /** A client whose server is the test itself, writing the answer by hand on {@code server}. */
    private record HandPlayed(MemoryFlow clientEnd, MemoryFlow server, HttpClientConnection client,
            Promise<Result<HttpResponse, HttpError>> response) {}

    private HandPlayed getFromHandPlayedServer(String path) {
        MemoryFlow[] raw = MemoryFlow.pair(scheduler);
        HttpClientConnection c = HttpClientConnection.over(raw[0], scheduler, ClientConfig.defaults());
        return new HandPlayed(raw[0], raw[1], c, c.send(HttpRequest.get(path)));
    }

    private Result<HttpResponse, HttpError> send(HttpRequest request) {
        return scheduler.runUntil(client.send(request)).value();
    }

    @Test
    void requestsShareOneKeptAliveConnection() {
        HttpResponse first = send(HttpRequest.get("/hello")).orElseThrow();
        assertEquals(200, first.status());
        assertEquals("hello\n", first.bytes().toUtf8());
        assertEquals("Thu, 01 Jan 2026 00:00:00 GMT", first.headers().get("Date").orElseThrow());
        HttpResponse second = send(HttpRequest.of("POST", "/echo", Headers.EMPTY, Bytes.utf8("payload"))).orElseThrow();
        assertEquals(201, second.status());
        assertEquals("payload", second.bytes().toUtf8());
        HttpResponse head = send(HttpRequest.of("HEAD", "/hello", Headers.EMPTY, Bytes.EMPTY)).orElseThrow();
        assertEquals("6", head.headers().get("Content-Length").orElseThrow());
        assertTrue(head.bytes().isEmpty());
        assertEquals(1, server.acceptedConnections());
        assertTrue(client.reusable());
    }

    @Test
    void requestsSentTogetherAreAnsweredInOrder() {
        Promise<Result<HttpResponse, HttpError>> later = client.send(HttpRequest.get("/later"));
        Promise<Result<HttpResponse, HttpError>> hello = client.send(HttpRequest.get("/hello"));
        scheduler.runUntil(hello);
        assertTrue(later.isDone());
        assertEquals("later\n", later.value().orElseThrow().bytes().toUtf8());
        assertEquals("hello\n", hello.value().orElseThrow().bytes().toUtf8());
        assertEquals(Duration.ofSeconds(3), clock.elapsed());
    }

    @Test
    void streamedBodyArrivesChunkedAndWhole() {
        HttpResponse response = send(HttpRequest.get("/stream")).orElseThrow();
        assertEquals("chunked", response.headers().get("Transfer-Encoding").orElseThrow());
        assertEquals("part2;part1;part0;", response.bytes().toUtf8());
        assertEquals(Duration.ofMillis(400), clock.elapsed());
    }

    @Test
    void connectionCloseEndsReuse() {
        assertEquals("bye\n", send(HttpRequest.get("/bye")).orElseThrow().bytes().toUtf8());
        assertFalse(client.reusable());
        assertInstanceOf(HttpError.NotReusable.class, ((Result.Err<HttpResponse, HttpError>) send(HttpRequest.get("/hello"))).error());
        scheduler.runFor(Duration.ofSeconds(5));
        assertEquals(0, server.openConnections());
    }

    @Test
    void idleConnectionIsClosedAfterSixtyVirtualSeconds() {
        send(HttpRequest.get("/hello")).orElseThrow();
        Duration answered = clock.elapsed();
        scheduler.runFor(Duration.ofSeconds(59));
        assertEquals(1, server.openConnections());
        scheduler.runFor(Duration.ofSeconds(2));
        assertEquals(0, server.openConnections());
        assertTrue(ends[1].isClosed());
        assertEquals(answered, Duration.ZERO);
    }

    @Test
    void dribbledHeadersGet408AfterTheHeaderTimeout() {
        MemoryFlow raw = ends[0];
        raw.write(Bytes.utf8("GET /hello HTTP/1.1\r\n"));
        for (int i = 0; i < 20; i++) {
            int n = i;
            scheduler.schedule(Duration.ofSeconds(1 + i), () -> raw.write(Bytes.utf8("X-" + n + ": y\r\n")));
        }
        scheduler.runFor(Duration.ofMillis(9_999));
        assertEquals(1, server.openConnections());
        scheduler.runFor(Duration.ofMillis(2));
        assertEquals(0, server.openConnections());
        assertTrue(ends[1].sent().toUtf8().startsWith("HTTP/1.1 408 Request Timeout\r\n"), ends[1].sent().toUtf8());
        assertTrue(records.stream().anyMatch(r -> r.message().contains("timed out in head")), records.toString());
    }

    @Test
    void clientGivesUpAfterItsResponseTimeout() {
        Result<HttpResponse, HttpError> result = send(HttpRequest.get("/never"));
        assertInstanceOf(HttpError.TimedOut.class, ((Result.Err<HttpResponse, HttpError>) result).error());
        assertEquals(Duration.ofSeconds(30), clock.elapsed());
        assertFalse(client.reusable());
    }

    @Test
    void stopClosesIdleConnectionsAndFinishesRequestsInFlight() {
        send(HttpRequest.get("/hello")).orElseThrow();          // this connection is now idle
        MemoryFlow[] busyEnds = MemoryFlow.pair(scheduler);
        server.serve(busyEnds[1]);
        HttpClientConnection busy = HttpClientConnection.over(busyEnds[0], scheduler, ClientConfig.defaults());
        Promise<Result<HttpResponse, HttpError>> later = busy.send(HttpRequest.get("/later"));
        scheduler.runFor(Duration.ofSeconds(1));
        assertEquals(2, server.openConnections());

        Promise<jmirage.core.Unit> stopped = server.stop();
        assertTrue(ends[1].isClosed(), "the idle connection closes at once");
        assertFalse(stopped.isDone());
        scheduler.runUntil(stopped);
        HttpResponse answer = later.value().orElseThrow();
        assertEquals("later\n", answer.bytes().toUtf8());
        assertEquals(Optional.of("close"), answer.headers().get("Connection"));
        assertEquals(0, server.openConnections());
        MemoryFlow[] lateEnds = MemoryFlow.pair(scheduler);
        server.serve(lateEnds[1]);
        assertTrue(lateEnds[1].isClosed(), "no new connections once stopping");
    }

    @Test
    void flowsOverTheConnectionLimitAreClosed() {
        HttpServer one = new HttpServer(scheduler, clock, log, ServerConfig.defaults().withMaxConnections(1), router);
        MemoryFlow[] first = MemoryFlow.pair(scheduler);
        MemoryFlow[] second = MemoryFlow.pair(scheduler);
        one.serve(first[1]);
        one.serve(second[1]);
        assertFalse(first[1].isClosed());
        assertTrue(second[1].isClosed());
        assertEquals(1, one.openConnections());
        assertTrue(records.stream().anyMatch(r -> r.message().contains("connections open, the limit")));
    }

    @Test
    void clientReadsABodyEndedByTheConnectionAndSkipsInterimAnswers() {
        HandPlayed h = getFromHandPlayedServer("/old");
        h.server().write(Bytes.utf8("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200 OK\r\nX-Old: yes\r\n\r\nuntil the "));
        h.server().write(Bytes.utf8("end"));
        h.server().shutdownOutput();
        HttpResponse answer = scheduler.runUntil(h.response()).value().orElseThrow();
        assertEquals(200, answer.status());
        assertEquals("until the end", answer.bytes().toUtf8());
        assertEquals(Optional.of("yes"), answer.headers().get("X-Old"));
        assertFalse(h.client().reusable());
        String sent = h.clientEnd().sent().toUtf8();
        assertTrue(sent.startsWith("GET /old HTTP/1.1\r\n") && sent.contains("Host: 127.0.0.1:80\r\n"), sent);
    }

    @Test
    void clientReportsGarbageAsMalformed() {
        HandPlayed h = getFromHandPlayedServer("/");
        h.server().write(Bytes.utf8("SSH-2.0-OpenSSH_9.2\r\n\r\n"));
        Result<HttpResponse, HttpError> result = scheduler.runUntil(h.response()).value();
        assertInstanceOf(HttpError.Malformed.class, ((Result.Err<HttpResponse, HttpError>) result).error());
        assertTrue(h.clientEnd().isClosed());
    }

    @Test
    void clientRejectsAnOversizedResponse() {
        HttpClientConnection small = HttpClientConnection.over(ends[0], scheduler, ClientConfig.defaults().withMaxBodyBytes(3));
        Result<HttpResponse, HttpError> result = scheduler.runUntil(small.send(HttpRequest.get("/hello"))).value();
        assertInstanceOf(HttpError.TooLarge.class, ((Result.Err<HttpResponse, HttpError>) result).error());
    }
}
