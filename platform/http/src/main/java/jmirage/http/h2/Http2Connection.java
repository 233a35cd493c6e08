package jmirage.http.h2;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jmirage.core.Bytes;
import jmirage.core.Cancellable;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.net.Flow;
import jmirage.core.net.FlowError;
import jmirage.core.net.ReadResult;
import jmirage.http.Body;
import jmirage.http.Handler;
import jmirage.http.Headers;
import jmirage.http.HttpRequest;
import jmirage.http.HttpResponse;
import jmirage.http.HttpVersion;
import jmirage.http.server.ServerConfig;

/**
 * One HTTP/2 connection (RFC 9113) on a flow where TLS negotiated {@code h2}: the connection
 * preface and SETTINGS, HEADERS with CONTINUATION (HPACK, {@link Hpack}), DATA, PING, RST_STREAM,
 * GOAWAY. Each complete request stream goes to the same {@link Handler} HTTP/1.1 requests go to; the
 * answer goes back as HEADERS and DATA frames. What it leaves out: server push (never sent),
 * priorities (ignored), and flow control of what we send (our answers are assumed to fit the
 * peer's windows, 65535 bytes by default: enough for DNS over HTTPS, RFC 8484; what we receive is
 * credited back as it is read). Streams, header lists and bodies are bounded by the
 * {@link ServerConfig}. Call on the loop.
 */
public final class Http2Connection {

    /** RFC 9113 3.4. */
    static final Bytes PREFACE = Bytes.utf8("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    static final int DATA = 0, HEADERS = 1, PRIORITY = 2, RST_STREAM = 3, SETTINGS = 4, PUSH_PROMISE = 5, PING = 6,
            GOAWAY = 7, WINDOW_UPDATE = 8, CONTINUATION = 9;
    static final int END_STREAM = 0x1, ACK = 0x1, END_HEADERS = 0x4, PADDED = 0x8, PRIORITY_FLAG = 0x20;
    static final int NO_ERROR = 0, PROTOCOL_ERROR = 1, INTERNAL_ERROR = 2, FRAME_SIZE_ERROR = 6, REFUSED_STREAM = 7,
            COMPRESSION_ERROR = 9;
    /** RFC 9113 6.5.2: SETTINGS_MAX_CONCURRENT_STREAMS, announced; SETTINGS_MAX_FRAME_SIZE's default. */
    static final int MAX_STREAMS = 100;
    static final int MAX_FRAME = 16384;
    private static final int FRAME_HEADER = 9;
    /** RFC 9113 8.2.2: connection-specific fields, never sent in HTTP/2. */
    private static final Set<String> CONNECTION_FIELDS = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "upgrade");

    private final Flow flow;
    private final ServerConfig config;
    private final Handler handler;
    private final Scheduler scheduler;
    private final Log log;
    private final Runnable ended;
    private final Hpack.Decoder decoder;
    private final Map<Integer, Stream> streams = new HashMap<>();
    private Bytes buffer = Bytes.EMPTY;
    private boolean prefaceRead;
    private int lastStream;
    /** The stream whose header block continues in CONTINUATION frames, 0 when none. */
    private int continuing;
    private Bytes block = Bytes.EMPTY;
    private int peerMaxFrame = MAX_FRAME;
    private Promise<Unit> writes = Promise.done();
    private Cancellable idle;
    private boolean goingAway;
    private boolean closed;

    /** A request stream being received or answered. */
    private static final class Stream {
        final int id;
        List<Hpack.Field> fields = List.of();
        Bytes body = Bytes.EMPTY;
        boolean answering;

        Stream(int id) {
            this.id = id;
        }
    }

    /** @param ended run once when the connection is closed */
    public Http2Connection(Flow flow, ServerConfig config, Handler handler, Scheduler scheduler, Log log, Runnable ended) {
        this.flow = flow;
        this.config = config;
        this.handler = handler;
        this.scheduler = scheduler;
        this.log = log;
        this.ended = ended;
        this.decoder = new Hpack.Decoder(4096, config.maxHeaderBytes());
    }

    /** Sends our SETTINGS and starts reading. */
    public void start() {
        // RFC 9113 3.4: the server preface is a SETTINGS frame; ours announces the stream bound
        send(frame(SETTINGS, 0, 0, setting(0x3, MAX_STREAMS)));
        read();
    }

    /** Ends the connection when no request is being answered (a server stopping); else after the answers. */
    public void closeIfIdle() {
        goingAway = true;
        if (streams.values().stream().noneMatch(s -> s.answering)) {
            goAway(NO_ERROR, "server stopping");
        }
    }

    private void read() {
        if (closed) {
            return;
        }
        if (idle != null) {
            idle.cancel();
        }
        idle = scheduler.schedule(config.idleTimeout(), () -> goAway(NO_ERROR, "idle"));
        flow.read().onComplete((r, bug) -> {
            if (r instanceof Result.Ok<ReadResult, FlowError>(ReadResult.Data(Bytes data))) {
                buffer = buffer.isEmpty() ? data : buffer.concat(data);
                if (frames()) {
                    read();
                }
            } else {
                close();
            }
        });
    }

    /** Handles every whole frame in the buffer; false when the connection ended. */
    private boolean frames() {
        if (!prefaceRead) {
            if (buffer.size() < PREFACE.size()) {
                return true;
            }
            if (!buffer.slice(0, PREFACE.size()).equals(PREFACE)) {
                return goAway(PROTOCOL_ERROR, "no HTTP/2 connection preface");
            }
            prefaceRead = true;
            buffer = buffer.slice(PREFACE.size(), buffer.size());
        }
        while (buffer.size() >= FRAME_HEADER) {
            int length = buffer.getUnsigned(0) << 16 | buffer.getUnsigned(1) << 8 | buffer.getUnsigned(2);
            if (length > MAX_FRAME) {
                return goAway(FRAME_SIZE_ERROR, "frame of " + length + " bytes"); // RFC 9113 4.2
            }
            if (buffer.size() < FRAME_HEADER + length) {
                return true;
            }
            int type = buffer.getUnsigned(3);
            int flags = buffer.getUnsigned(4);
            int stream = (buffer.getUnsigned(5) & 0x7f) << 24 | buffer.getUnsigned(6) << 16 | buffer.getUnsigned(7) << 8
                    | buffer.getUnsigned(8);
            Bytes payload = buffer.slice(FRAME_HEADER, FRAME_HEADER + length);
            buffer = buffer.slice(FRAME_HEADER + length, buffer.size());
            if (!handle(type, flags, stream, payload)) {
                return false;
            }
        }
        return true;
    }

    private boolean handle(int type, int flags, int stream, Bytes payload) {
        if (continuing != 0 && (type != CONTINUATION || stream != continuing)) {
            return goAway(PROTOCOL_ERROR, "a header block interrupted"); // RFC 9113 6.10
        }
        return switch (type) {
            case HEADERS -> headers(flags, stream, payload);
            case CONTINUATION -> continuing == 0 ? goAway(PROTOCOL_ERROR, "CONTINUATION without HEADERS")
                    : headerBlock(stream, flags, payload);
            case DATA -> data(flags, stream, payload);
            case SETTINGS -> settings(flags, stream, payload);
            case PING -> {
                if (payload.size() != 8) {
                    yield goAway(FRAME_SIZE_ERROR, "PING of " + payload.size() + " bytes");
                }
                if ((flags & ACK) == 0) {
                    send(frame(PING, ACK, 0, payload));
                }
                yield true;
            }
            case RST_STREAM -> {
                streams.remove(stream);
                yield true;
            }
            case GOAWAY -> {
                closeIfIdle();
                yield !closed;
            }
            case PUSH_PROMISE -> goAway(PROTOCOL_ERROR, "PUSH_PROMISE from a client"); // RFC 9113 8.4
            default -> true; // PRIORITY, WINDOW_UPDATE, unknown types (RFC 9113 4.1: ignored)
        };
    }

    private boolean headers(int flags, int stream, Bytes payload) {
        if (stream % 2 == 0 || stream <= lastStream) {
            return goAway(PROTOCOL_ERROR, "HEADERS on stream " + stream); // RFC 9113 5.1.1
        }
        lastStream = stream;
        Optional<Bytes> fragment = unpadded(flags, payload);
        if (fragment.isEmpty()) {
            return goAway(PROTOCOL_ERROR, "bad padding");
        }
        Bytes f = fragment.get();
        if ((flags & PRIORITY_FLAG) != 0) {
            if (f.size() < 5) {
                return goAway(PROTOCOL_ERROR, "short priority");
            }
            f = f.slice(5, f.size());
        }
        if (streams.size() >= MAX_STREAMS || goingAway) {
            send(rst(stream, REFUSED_STREAM)); // its header block is still decoded: the HPACK state is shared
        } else {
            Stream s = new Stream(stream);
            streams.put(stream, s);
            if ((flags & END_STREAM) != 0) {
                s.answering = true; // no body: complete once the header block is
            }
        }
        continuing = stream;
        block = Bytes.EMPTY;
        return headerBlock(stream, flags, f);
    }

    private boolean headerBlock(int stream, int flags, Bytes fragment) {
        block = block.isEmpty() ? fragment : block.concat(fragment);
        if (block.size() > config.maxHeaderBytes()) {
            return goAway(PROTOCOL_ERROR, "header block over " + config.maxHeaderBytes() + " bytes");
        }
        if ((flags & END_HEADERS) == 0) {
            return true;
        }
        continuing = 0;
        Result<List<Hpack.Field>, String> decoded = decoder.decode(block);
        block = Bytes.EMPTY;
        if (decoded instanceof Result.Err<List<Hpack.Field>, String>(String why)) {
            return goAway(COMPRESSION_ERROR, why); // RFC 9113 4.3: the table state is lost with it
        }
        Stream s = streams.get(stream);
        if (s != null) {
            s.fields = decoded.orElseThrow();
            if (s.answering) {
                answer(s);
            }
        }
        return true;
    }

    private boolean data(int flags, int stream, Bytes payload) {
        Stream s = streams.get(stream);
        if (payload.size() > 0) {
            // RFC 9113 6.9: credit what was received back, to the connection and the stream
            boolean streamOpen = s != null && (flags & END_STREAM) == 0;
            send(streamOpen ? windowUpdate(0, payload.size()).concat(windowUpdate(stream, payload.size()))
                    : windowUpdate(0, payload.size()));
        }
        if (s == null || s.answering) {
            if (stream == 0 || stream > lastStream) {
                return goAway(PROTOCOL_ERROR, "DATA on idle stream " + stream);
            }
            return true; // a stream we refused or reset
        }
        Optional<Bytes> data = unpadded(flags, payload);
        if (data.isEmpty()) {
            return goAway(PROTOCOL_ERROR, "bad padding");
        }
        s.body = s.body.isEmpty() ? data.get() : s.body.concat(data.get());
        if (s.body.size() > config.maxBodyBytes()) {
            streams.remove(stream);
            sendResponse(stream, HttpResponse.text(413, "body over " + config.maxBodyBytes() + " bytes\n"));
            return true;
        }
        if ((flags & END_STREAM) != 0) {
            s.answering = true;
            answer(s);
        }
        return true;
    }

    private boolean settings(int flags, int stream, Bytes payload) {
        if (stream != 0 || payload.size() % 6 != 0) {
            return goAway(PROTOCOL_ERROR, "bad SETTINGS");
        }
        if ((flags & ACK) != 0) {
            return true;
        }
        for (int i = 0; i < payload.size(); i += 6) {
            int id = payload.getUnsigned(i) << 8 | payload.getUnsigned(i + 1);
            long value = (long) payload.getUnsigned(i + 2) << 24 | payload.getUnsigned(i + 3) << 16 | payload.getUnsigned(i + 4) << 8
                    | payload.getUnsigned(i + 5);
            if (id == 0x5) { // SETTINGS_MAX_FRAME_SIZE
                if (value < MAX_FRAME || value > 0xffffff) {
                    return goAway(PROTOCOL_ERROR, "max frame size " + value);
                }
                peerMaxFrame = (int) Math.min(value, 65536);
            }
        }
        send(frame(SETTINGS, ACK, 0, Bytes.EMPTY));
        return true;
    }

    /** A request stream is complete: the handler's answer goes back on it. */
    private void answer(Stream s) {
        Map<String, String> pseudo = new HashMap<>();
        List<Headers.Field> regular = new ArrayList<>();
        for (Hpack.Field f : s.fields) {
            if (f.name().startsWith(":")) {
                pseudo.putIfAbsent(f.name(), f.value());
            } else if (!f.name().equals(f.name().toLowerCase(Locale.ROOT)) || CONNECTION_FIELDS.contains(f.name())) {
                streams.remove(s.id);
                send(rst(s.id, PROTOCOL_ERROR)); // RFC 9113 8.2.1, 8.2.2: a malformed request
                return;
            } else {
                regular.add(new Headers.Field(f.name(), f.value()));
            }
        }
        if (!pseudo.containsKey(":method") || !pseudo.containsKey(":path")) {
            streams.remove(s.id);
            send(rst(s.id, PROTOCOL_ERROR)); // RFC 9113 8.3.1
            return;
        }
        if (pseudo.containsKey(":authority")) {
            regular.add(0, new Headers.Field("host", pseudo.get(":authority")));
        }
        HttpRequest request = new HttpRequest(pseudo.get(":method"), pseudo.get(":path"), HttpVersion.HTTP_1_1,
                new Headers(regular), s.body, Optional.of(flow.remote()));
        Promise<HttpResponse> handled;
        try {
            handled = handler.handle(request);
        } catch (RuntimeException bug) {
            handled = Promise.rejected(bug);
        }
        handled.onComplete((response, bug) -> {
            if (bug != null) {
                log.error("handler failed on " + request.method() + " " + request.target() + " from " + flow.remote() + ": " + bug);
                response = HttpResponse.text(500, "internal error\n");
            }
            sendResponse(s.id, response).onComplete((u, e) -> {
                streams.remove(s.id);
                if (goingAway && streams.values().stream().noneMatch(x -> x.answering)) {
                    goAway(NO_ERROR, "server stopping");
                }
            });
        });
    }

    private Promise<Unit> sendResponse(int stream, HttpResponse response) {
        List<Hpack.Field> fields = new ArrayList<>();
        fields.add(new Hpack.Field(":status", Integer.toString(response.status())));
        for (Headers.Field f : response.headers().fields()) {
            String name = f.name().toLowerCase(Locale.ROOT);
            if (!CONNECTION_FIELDS.contains(name) && !name.equals("content-length")) {
                fields.add(new Hpack.Field(name, f.value()));
            }
        }
        return switch (response.body()) {
            case Body.Full(Bytes bytes) -> {
                fields.add(new Hpack.Field("content-length", Integer.toString(bytes.size())));
                // one write for the whole answer: two small segments would wait on Nagle and a delayed ACK
                Bytes head = headerFrames(stream, fields, bytes.isEmpty());
                yield send(bytes.isEmpty() ? head : head.concat(dataFrames(stream, bytes, true)));
            }
            case Body.Chunked(var source) -> {
                send(headerFrames(stream, fields, false));
                yield pump(stream, source);
            }
        };
    }

    private Promise<Unit> pump(int stream, jmirage.http.ChunkSource source) {
        return source.next().flatMap(chunk -> chunk.isEmpty() ? sendData(stream, Bytes.EMPTY, true)
                : sendData(stream, chunk.get(), false).flatMap(u -> closed ? Promise.done() : pump(stream, source)));
    }

    private Promise<Unit> sendData(int stream, Bytes bytes, boolean last) {
        return send(dataFrames(stream, bytes, last));
    }

    /** {@code bytes} in DATA frames of at most the peer's frame size; END_STREAM on the last when {@code last}. */
    private Bytes dataFrames(int stream, Bytes bytes, boolean last) {
        if (bytes.isEmpty()) {
            return frame(DATA, last ? END_STREAM : 0, stream, Bytes.EMPTY);
        }
        Bytes out = Bytes.EMPTY;
        for (int at = 0; at < bytes.size(); at += peerMaxFrame) {
            int end = Math.min(bytes.size(), at + peerMaxFrame);
            out = out.concat(frame(DATA, last && end == bytes.size() ? END_STREAM : 0, stream, bytes.slice(at, end)));
        }
        return out;
    }

    /** The header block in a HEADERS frame and as many CONTINUATION frames as the peer's frame size needs. */
    private Bytes headerFrames(int stream, List<Hpack.Field> fields, boolean endStream) {
        Bytes encoded = Hpack.encode(fields);
        Bytes out = Bytes.EMPTY;
        int at = 0;
        boolean first = true;
        do {
            int end = Math.min(encoded.size(), at + peerMaxFrame);
            int flags = (end == encoded.size() ? END_HEADERS : 0) | (first && endStream ? END_STREAM : 0);
            out = out.concat(frame(first ? HEADERS : CONTINUATION, flags, stream, encoded.slice(at, end)));
            at = end;
            first = false;
        } while (at < encoded.size());
        return out;
    }

    private static Optional<Bytes> unpadded(int flags, Bytes payload) {
        if ((flags & PADDED) == 0) {
            return Optional.of(payload);
        }
        if (payload.isEmpty() || payload.getUnsigned(0) >= payload.size()) {
            return Optional.empty(); // RFC 9113 6.1: padding as long as the payload is an error
        }
        return Optional.of(payload.slice(1, payload.size() - payload.getUnsigned(0)));
    }

    static Bytes frame(int type, int flags, int stream, Bytes payload) {
        int n = payload.size();
        byte[] header = {(byte) (n >>> 16), (byte) (n >>> 8), (byte) n, (byte) type, (byte) flags,
                (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream};
        return Bytes.of(header).concat(payload);
    }

    private static Bytes setting(int id, int value) {
        return Bytes.of((byte) (id >>> 8), (byte) id, (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value);
    }

    private static Bytes windowUpdate(int stream, int increment) {
        return frame(WINDOW_UPDATE, 0, stream, Bytes.of((byte) (increment >>> 24), (byte) (increment >>> 16),
                (byte) (increment >>> 8), (byte) increment));
    }

    private static Bytes rst(int stream, int error) {
        return frame(RST_STREAM, 0, stream, Bytes.of((byte) (error >>> 24), (byte) (error >>> 16), (byte) (error >>> 8), (byte) error));
    }

    /** Queues bytes after what is queued; a failed write ends the connection. */
    private Promise<Unit> send(Bytes bytes) {
        writes = writes.flatMap(u -> closed ? Promise.done() : flow.write(bytes).map(w -> {
            if (!w.isOk()) {
                close();
            }
            return Unit.UNIT;
        }));
        return writes;
    }

    /** RFC 9113 6.8: GOAWAY with the last stream we took, then the end of the connection; false (for {@link #frames}). */
    private boolean goAway(int error, String why) {
        if (closed) {
            return false;
        }
        if (error != NO_ERROR) {
            log.debug(() -> "http/2 " + flow.remote() + ": " + why);
        }
        byte[] reason = why.getBytes(StandardCharsets.UTF_8);
        Bytes payload = Bytes.of((byte) (lastStream >>> 24), (byte) (lastStream >>> 16), (byte) (lastStream >>> 8), (byte) lastStream,
                (byte) (error >>> 24), (byte) (error >>> 16), (byte) (error >>> 8), (byte) error).concat(Bytes.of(reason));
        send(frame(GOAWAY, 0, 0, payload)).onComplete((u, e) -> close());
        return false;
    }

    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (idle != null) {
            idle.cancel();
        }
        flow.close().onComplete((u, e) -> ended.run());
    }
}
