package jmirage.http.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.FlowError;
import jmirage.core.net.ReadResult;
import jmirage.http.Headers;
import jmirage.http.HttpResponse;
import jmirage.http.server.ServerConfig;
import jmirage.sim.MemoryFlow;
import jmirage.sim.Simulation;
import org.junit.jupiter.api.Test;

/** An HTTP/2 connection driven frame by frame over an in-memory flow, in virtual time. */
class Http2ConnectionTest {

    private record Frame(int type, int flags, int stream, Bytes payload) {}

    private final Simulation sim = new Simulation(3, Instant.parse("2027-01-01T00:00:00Z"));
    private final MemoryFlow[] ends = MemoryFlow.pair(sim.scheduler());
    private final MemoryFlow client = ends[0];
    private final List<String> seen = new ArrayList<>();
    private Bytes received = Bytes.EMPTY;

    private void serve() {
        Http2Connection c = new Http2Connection(ends[1], ServerConfig.defaults(), request -> {
            seen.add(request.method() + " " + request.target() + " " + request.headers().get("host").orElse("-") + " "
                    + request.body().toUtf8());
            return Promise.resolved(HttpResponse.of(200, Headers.of("Content-Type", "text/plain", "Connection", "keep-alive"),
                    Bytes.utf8("echo " + request.body().toUtf8())));
        }, sim.scheduler(), sim.log("h2", LogLevel.INFO), () -> seen.add("ended"));
        c.start();
    }

    private void send(Bytes bytes) {
        sim.await(client.write(bytes)).orElseThrow();
    }

    /** Frames from the server until one of {@code type} (with ACK when {@code ack}) has come. */
    private List<Frame> until(int type) {
        List<Frame> frames = new ArrayList<>();
        while (true) {
            while (received.size() >= 9) {
                int n = received.getUnsigned(0) << 16 | received.getUnsigned(1) << 8 | received.getUnsigned(2);
                if (received.size() < 9 + n) {
                    break;
                }
                int stream = received.getUnsigned(5) << 24 | received.getUnsigned(6) << 16 | received.getUnsigned(7) << 8
                        | received.getUnsigned(8);
                Frame f = new Frame(received.getUnsigned(3), received.getUnsigned(4), stream, received.slice(9, 9 + n));
                received = received.slice(9 + n, received.size());
                frames.add(f);
                if (f.type() == type) {
                    return frames;
                }
            }
            Result<ReadResult, FlowError> r = sim.await(client.read());
            if (!(r instanceof Result.Ok<ReadResult, FlowError>(ReadResult.Data(Bytes data)))) {
                frames.add(new Frame(-1, 0, 0, Bytes.EMPTY));
                return frames;
            }
            received = received.concat(data);
        }
    }

    @Test
    void aPostIsAnsweredWithHeadersAndData() {
        serve();
        send(Http2Connection.PREFACE.concat(Http2Connection.frame(Http2Connection.SETTINGS, 0, 0, Bytes.EMPTY)));
        Bytes block = Hpack.encode(List.of(new Hpack.Field(":method", "POST"), new Hpack.Field(":scheme", "https"),
                new Hpack.Field(":path", "/dns-query"), new Hpack.Field(":authority", "localhost"),
                new Hpack.Field("content-type", "application/dns-message")));
        send(Http2Connection.frame(Http2Connection.HEADERS, Http2Connection.END_HEADERS, 1, block)
                .concat(Http2Connection.frame(Http2Connection.DATA, Http2Connection.END_STREAM, 1, Bytes.utf8("hello"))));
        List<Frame> frames = until(Http2Connection.DATA);
        assertEquals(Http2Connection.SETTINGS, frames.getFirst().type(), "the server preface");
        assertTrue(frames.stream().anyMatch(f -> f.type() == Http2Connection.SETTINGS && f.flags() == Http2Connection.ACK));
        Frame headers = frames.stream().filter(f -> f.type() == Http2Connection.HEADERS).findFirst().orElseThrow();
        assertEquals(1, headers.stream());
        assertEquals(Result.ok(List.of(new Hpack.Field(":status", "200"), new Hpack.Field("content-type", "text/plain"),
                new Hpack.Field("content-length", "10"))), new Hpack.Decoder(4096, 16384).decode(headers.payload()),
                "no connection-specific field (RFC 9113 8.2.2)");
        Frame data = frames.getLast();
        assertEquals(Http2Connection.END_STREAM, data.flags());
        assertEquals("echo hello", data.payload().toUtf8());
        assertEquals(List.of("POST /dns-query localhost hello"), seen);
    }

    @Test
    void aPingIsAnsweredAndABadPrefaceEndsTheConnection() {
        serve();
        Bytes opaque = Bytes.utf8("12345678");
        send(Http2Connection.PREFACE.concat(Http2Connection.frame(Http2Connection.PING, 0, 0, opaque)));
        Frame pong = until(Http2Connection.PING).getLast();
        assertEquals(Http2Connection.ACK, pong.flags());
        assertEquals(opaque, pong.payload());
        // a HEADERS frame on an even stream is a connection error (RFC 9113 5.1.1)
        send(Http2Connection.frame(Http2Connection.HEADERS, Http2Connection.END_HEADERS, 2, Bytes.EMPTY));
        Frame goAway = until(Http2Connection.GOAWAY).getLast();
        assertEquals(Http2Connection.PROTOCOL_ERROR, goAway.payload().getUnsigned(7));
        assertEquals(-1, until(Integer.MAX_VALUE).getLast().type(), "then the end of the flow");
        assertTrue(seen.contains("ended"));
    }
}
