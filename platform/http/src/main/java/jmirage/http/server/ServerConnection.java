package jmirage.http.server;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import jmirage.core.Bytes;
import jmirage.core.Cancellable;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.net.Flow;
import jmirage.core.net.FlowError;
import jmirage.core.net.ReadResult;
import jmirage.http.Body;
import jmirage.http.ChunkSource;
import jmirage.http.Handler;
import jmirage.http.Headers;
import jmirage.http.HttpDates;
import jmirage.http.HttpRequest;
import jmirage.http.HttpResponse;
import jmirage.http.HttpVersion;
import jmirage.http.codec.Decoded;
import jmirage.http.codec.ServerCodec;

/**
 * One server connection: the shell between a {@link Flow}, the {@link ServerCodec} and the
 * {@link Handler}. It lives on the loop and is driven by promise callbacks and timers, one phase at
 * a time:
 *
 * <pre>
 * IDLE --first byte--> HEAD --headers--> BODY --last piece--> HANDLING --answer--> WRITING
 *   ^                                                                                 |
 *   +-------------------------------- keep-alive ----------------------------------+
 *                                                          otherwise LINGER --> CLOSED
 * </pre>
 *
 * Each waiting phase has one timer (idle, header, body, write): when it fires the connection is
 * answered 408 where that makes sense, and closed. Only one request is in the hands of the service
 * at a time, and the next is read only once its answer is written, so pipelined requests are
 * answered in order and a client cannot queue work faster than it reads answers.
 */
final class ServerConnection {

    private enum Phase { IDLE, HEAD, BODY, HANDLING, WRITING, LINGER, CLOSED }

    /** How much unread input a lingering close drains before giving up and closing anyway. */
    private static final long LINGER_MAX_BYTES = 1024 * 1024;

    private final Flow flow;
    private final ServerConfig config;
    private final Handler handler;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Log log;
    private final BooleanSupplier stopping;
    private final Runnable onClosed;
    private final ServerCodec codec;

    private Phase phase = Phase.IDLE;
    private Cancellable timer;
    private int served;
    private long lingered;

    ServerConnection(Flow flow, ServerConfig config, Handler handler, Scheduler scheduler, Clock clock, Log log,
                     BooleanSupplier stopping, Runnable onClosed) {
        this.stopping = stopping;
        this.flow = flow;
        this.config = config;
        this.handler = handler;
        this.scheduler = scheduler;
        this.clock = clock;
        this.log = log;
        this.onClosed = onClosed;
        this.codec = new ServerCodec(config.maxRequestLineBytes(), config.maxHeaderBytes());
    }

    void start() {
        awaitRequest();
    }

    // ---- reading a request

    /** The server is stopping: a connection waiting for a request ends now; others end after their answer. */
    void closeIfIdle() {
        if (phase == Phase.IDLE) {
            close();
        }
    }

    private void awaitRequest() {
        if (stopping.getAsBoolean() && !codec.hasDecoded()) {
            close();
            return;
        }
        phase = Phase.IDLE;
        arm(config.idleTimeout());
        pullHead();
    }

    private void pullHead() {
        Optional<Decoded> next = codec.next();
        if (next.isEmpty()) {
            readThen(this::pullHead);
            return;
        }
        switch (next.get()) {
            case Decoded.RequestHead head -> startRequest(head);
            case Decoded.Malformed(int status, String reason) -> refuse(status, reason);
            case Decoded.Content content -> refuse(400, "body without a request");
            case Decoded.ResponseHead response -> refuse(400, "a response where a request belongs");
        }
    }

    /** One read from the flow, fed to the codec, then {@code continuation}; ends the connection on EOF or error. */
    private void readThen(Runnable continuation) {
        flow.read().onComplete((result, failure) -> {
            if (phase == Phase.CLOSED) {
                return;
            }
            if (failure != null) {
                log.error("read from " + flow.remote() + " failed: " + failure);
                close();
                return;
            }
            switch (result) {
                case Result.Ok<ReadResult, FlowError>(ReadResult.Data(Bytes bytes)) -> {
                    if (phase == Phase.IDLE) {
                        // The first byte of a request starts the header clock (slowloris defence).
                        phase = Phase.HEAD;
                        arm(config.headerTimeout());
                    }
                    codec.feed(bytes);
                    continuation.run();
                }
                case Result.Ok<ReadResult, FlowError>(ReadResult.Eof eof) -> {
                    if (phase == Phase.HEAD || phase == Phase.BODY) {
                        log.info(flow.remote() + " closed in the middle of a request");
                    }
                    close();
                }
                case Result.Err<ReadResult, FlowError>(FlowError error) -> {
                    log.debug(() -> "read from " + flow.remote() + " ended: " + error);
                    close();
                }
            }
        });
    }

    private void startRequest(Decoded.RequestHead head) {
        phase = Phase.BODY;
        arm(config.bodyTimeout());
        Headers headers = head.headers();
        // RFC 9112 3.2: a server MUST answer 400 to an HTTP/1.1 request without exactly one Host.
        if (head.version() == HttpVersion.HTTP_1_1 && headers.all("Host").size() != 1) {
            refuse(400, "HTTP/1.1 request without exactly one Host header");
            return;
        }
        boolean chunked = headers.hasToken("Transfer-Encoding", "chunked");
        long declared = declaredLength(headers);
        if (declared > config.maxBodyBytes()) {
            refuse(413, "declared body of " + declared + " bytes over the limit of " + config.maxBodyBytes());
            return;
        }
        Optional<String> expect = headers.get("Expect");
        if (expect.isPresent()) {
            // RFC 9110 10.1.1: 100-continue is the only expectation; any other gets 417.
            if (!expect.get().strip().equalsIgnoreCase("100-continue")) {
                refuse(417, "unsupported expectation " + expect.get());
                return;
            }
            if (head.version() == HttpVersion.HTTP_1_1 && (chunked || declared > 0)) {
                write(codec.encodeContinue(), () -> pullBody(head, new ByteArrayOutputStream()));
                return;
            }
        }
        pullBody(head, new ByteArrayOutputStream());
    }

    /** Content-Length as the decoder validated it, or -1. */
    private static long declaredLength(Headers headers) {
        Optional<String> length = headers.get("Content-Length");
        if (length.isEmpty()) {
            return -1;
        }
        try {
            return Long.parseLong(length.get().strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // the decoder has already refused such a message; be safe anyway
        }
    }

    private void pullBody(Decoded.RequestHead head, ByteArrayOutputStream body) {
        while (true) {
            Optional<Decoded> next = codec.next();
            if (next.isEmpty()) {
                readThen(() -> pullBody(head, body));
                return;
            }
            switch (next.get()) {
                case Decoded.Content(Bytes bytes, boolean last) -> {
                    if ((long) body.size() + bytes.size() > config.maxBodyBytes()) {
                        refuse(413, "body over the limit of " + config.maxBodyBytes() + " bytes");
                        return;
                    }
                    body.writeBytes(bytes.toArray());
                    if (last) {
                        dispatch(head, Bytes.adopt(body.toByteArray()));
                        return;
                    }
                }
                case Decoded.Malformed(int status, String reason) -> {
                    refuse(status, reason);
                    return;
                }
                case Decoded.RequestHead other -> {
                    refuse(400, "request head inside a body");
                    return;
                }
                case Decoded.ResponseHead other -> {
                    refuse(400, "a response where a request belongs");
                    return;
                }
            }
        }
    }

    // ---- answering

    private void dispatch(Decoded.RequestHead head, Bytes body) {
        phase = Phase.HANDLING;
        disarm();
        HttpRequest request = new HttpRequest(head.method(), head.target(), head.version(), head.headers(), body,
                Optional.of(flow.remote()));
        Promise<HttpResponse> answer;
        try {
            answer = handler.handle(request);
        } catch (RuntimeException bug) {
            answer = Promise.rejected(bug);
        }
        answer.onComplete((response, failure) -> {
            if (phase == Phase.CLOSED) {
                return;
            }
            if (failure != null) {
                log.error("handler failed on " + head.method() + " " + head.target() + " from " + flow.remote() + ": " + failure);
                respond(head, HttpResponse.text(500, "internal server error\n"), true);
            } else {
                respond(head, response, false);
            }
        });
    }

    /** Answers a request the server will not pass on, then closes: the input after it cannot be trusted. */
    private void refuse(int status, String reason) {
        log.info("refused " + flow.remote() + " with " + status + ": " + reason);
        Decoded.RequestHead none = new Decoded.RequestHead("GET", "/", HttpVersion.HTTP_1_1, Headers.EMPTY, false);
        respond(none, HttpResponse.text(status, statusText(status) + "\n"), true);
    }

    private void respond(Decoded.RequestHead head, HttpResponse response, boolean forceClose) {
        phase = Phase.WRITING;
        arm(config.writeTimeout());
        served++;
        int status = response.status();
        boolean keepAlive = head.keepAlive() && !forceClose && !stopping.getAsBoolean()
                && served < config.maxRequestsPerConnection()
                && !response.headers().hasToken("Connection", "close");
        boolean isHead = head.method().equals("HEAD");
        // RFC 9110 8.6 and 6.4.1: 1xx, 204 and 304 never carry a body or its length.
        boolean bodyless = status < 200 || status == 204 || status == 304;
        Headers out = response.headers().without("Content-Length").without("Transfer-Encoding").without("Connection")
                .with("Date", date());
        if (!config.serverName().isEmpty() && !out.contains("Server")) {
            out = out.with("Server", config.serverName());
        }
        Bytes wire;
        ChunkSource stream = null;
        try {
            switch (response.body()) {
                case Body.Full(Bytes bytes) -> {
                    if (!bodyless) {
                        out = out.with("Content-Length", Integer.toString(bytes.size()));
                    }
                    out = connectionHeader(out, head, keepAlive);
                    wire = codec.encodeFull(status, HttpVersion.HTTP_1_1, out, isHead || bodyless ? Bytes.EMPTY : bytes);
                }
                case Body.Chunked(ChunkSource source) -> {
                    if (isHead || bodyless) {
                        out = connectionHeader(out, head, keepAlive);
                        wire = codec.encodeFull(status, HttpVersion.HTTP_1_1, out, Bytes.EMPTY);
                    } else {
                        if (head.version() == HttpVersion.HTTP_1_1) {
                            out = out.with("Transfer-Encoding", "chunked");
                        } else {
                            keepAlive = false; // RFC 9112 6.3: an HTTP/1.0 body of unknown length ends with the connection
                        }
                        out = connectionHeader(out, head, keepAlive);
                        wire = codec.encodeHead(status, HttpVersion.HTTP_1_1, out);
                        stream = source;
                    }
                }
            }
        } catch (RuntimeException invalid) {
            // Netty refuses header names or values that would break the framing: a handler bug.
            log.error("cannot encode the answer to " + head.method() + " " + head.target() + ": " + invalid);
            if (forceClose && status == 500) {
                close();
                return;
            }
            served--;
            respond(head, HttpResponse.text(500, "internal server error\n"), true);
            return;
        }
        boolean reuse = keepAlive;
        ChunkSource chunks = stream;
        write(wire, () -> {
            if (chunks != null) {
                pump(chunks, reuse);
            } else {
                afterResponse(reuse);
            }
        });
    }

    private Headers connectionHeader(Headers out, Decoded.RequestHead head, boolean keepAlive) {
        if (!keepAlive) {
            return out.with("Connection", "close");
        }
        return head.version() == HttpVersion.HTTP_1_0 ? out.with("Connection", "keep-alive") : out;
    }

    /** Pulls chunks from {@code source} one at a time, each only after the previous one is written. */
    private void pump(ChunkSource source, boolean keepAlive) {
        Promise<Optional<Bytes>> next;
        try {
            next = source.next();
        } catch (RuntimeException bug) {
            next = Promise.rejected(bug);
        }
        next.onComplete((chunk, failure) -> {
            if (phase == Phase.CLOSED) {
                return;
            }
            if (failure != null) {
                // The status line is out: the only honest signal left is an incomplete body.
                log.error("body stream to " + flow.remote() + " failed: " + failure);
                close();
                return;
            }
            arm(config.writeTimeout());
            if (chunk.isEmpty()) {
                write(codec.encodeEnd(), () -> afterResponse(keepAlive));
            } else if (chunk.get().isEmpty()) {
                pump(source, keepAlive); // an empty chunk would end a chunked body early
            } else {
                write(codec.encodeChunk(chunk.get()), () -> pump(source, keepAlive));
            }
        });
    }

    private void afterResponse(boolean keepAlive) {
        if (keepAlive) {
            awaitRequest();
        } else {
            linger();
        }
    }

    /** Writes {@code bytes}; once the flow has room again, runs {@code then}. A failed write ends the connection. */
    private void write(Bytes bytes, Runnable then) {
        flow.write(bytes).onComplete((result, failure) -> {
            if (phase == Phase.CLOSED) {
                return;
            }
            if (failure != null || !result.isOk()) {
                log.debug(() -> "write to " + flow.remote() + " failed: " + (failure != null ? failure : result));
                close();
                return;
            }
            then.run();
        });
    }

    // ---- ending

    /**
     * RFC 9112 9.6: close the sending side first, then read and drop what the client still sends
     * for a short while, so the answer is not destroyed by a reset caused by unread input.
     */
    private void linger() {
        phase = Phase.LINGER;
        arm(config.lingerTimeout());
        flow.shutdownOutput().onComplete((result, failure) -> {
            if (phase != Phase.LINGER) {
                return;
            }
            if (failure != null || !result.isOk()) {
                close();
                return;
            }
            drain();
        });
    }

    private void drain() {
        flow.read().onComplete((result, failure) -> {
            if (phase != Phase.LINGER) {
                return;
            }
            if (failure == null && result instanceof Result.Ok<ReadResult, FlowError>(ReadResult.Data(Bytes bytes))) {
                lingered += bytes.size();
                if (lingered <= LINGER_MAX_BYTES) {
                    drain();
                    return;
                }
            }
            close();
        });
    }

    private void close() {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        disarm();
        codec.close();
        flow.close();
        onClosed.run();
    }

    // ---- timers

    private void arm(Duration limit) {
        disarm();
        Phase armedIn = phase;
        timer = scheduler.schedule(limit, () -> timedOut(armedIn));
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void timedOut(Phase armedIn) {
        // A timer cancelled too late (already queued on the loop) must not act on a later phase.
        if (phase != armedIn || phase == Phase.CLOSED) {
            return;
        }
        timer = null;
        switch (phase) {
            case HEAD, BODY -> {
                // RFC 9110 15.5.9: 408 tells a well-meaning client why; a slowloris is cut off either way.
                log.info("request from " + flow.remote() + " timed out in " + phase.name().toLowerCase() + "; closing");
                Headers headers = Headers.of("Connection", "close", "Date", date(), "Content-Length", "0");
                Bytes wire;
                try {
                    wire = codec.encodeFull(408, HttpVersion.HTTP_1_1, headers, Bytes.EMPTY);
                } catch (RuntimeException e) {
                    close();
                    return;
                }
                phase = Phase.WRITING;
                flow.write(wire).onComplete((r, f) -> close());
                arm(config.writeTimeout());
            }
            case IDLE -> {
                log.debug(() -> "idle connection from " + flow.remote() + " closed");
                close();
            }
            case WRITING, LINGER -> {
                log.debug(() -> "connection from " + flow.remote() + " stalled in " + armedIn + "; closing");
                close();
            }
            case HANDLING, CLOSED -> { }
        }
    }

    // ---- small helpers

    private long dateSecond = Long.MIN_VALUE;
    private String dateText;

    private String date() {
        Instant now = clock.now();
        if (now.getEpochSecond() != dateSecond) {
            dateSecond = now.getEpochSecond();
            dateText = HttpDates.format(now);
        }
        return dateText;
    }

    static String statusText(int status) {
        return switch (status) {
            case 400 -> "bad request";
            case 408 -> "request timeout";
            case 413 -> "content too large";
            case 414 -> "URI too long";
            case 417 -> "expectation failed";
            case 431 -> "request header fields too large";
            case 505 -> "HTTP version not supported";
            default -> "error " + status;
        };
    }

}
