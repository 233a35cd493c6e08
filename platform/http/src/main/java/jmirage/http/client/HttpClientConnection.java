package jmirage.http.client;

import java.io.ByteArrayOutputStream;
import java.net.Inet6Address;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Cancellable;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.FlowError;
import jmirage.core.net.ReadResult;
import jmirage.http.Headers;
import jmirage.http.HttpRequest;
import jmirage.http.HttpResponse;
import jmirage.http.codec.ClientCodec;
import jmirage.http.codec.Decoded;

/**
 * An HTTP/1.1 client connection over any {@link Flow} (TCP, TLS). Requests go out one at a time: a
 * request sent while another is in flight waits for it, so the connection is reused (keep-alive)
 * without pipelining. Once a response says the connection ends (Connection: close, a body delimited
 * by the end of the stream, an error), the flow is closed and further requests get
 * {@link HttpError.NotReusable}; open a new flow then. Call on the flow's loop.
 */
public final class HttpClientConnection {

    private final Flow flow;
    private final Scheduler scheduler;
    private final ClientConfig config;
    private final ClientCodec codec;
    private Promise<?> tail = Promise.done();
    private boolean reusable = true;

    private HttpClientConnection(Flow flow, Scheduler scheduler, ClientConfig config) {
        this.flow = flow;
        this.scheduler = scheduler;
        this.config = config;
        this.codec = new ClientCodec(config.maxStatusLineBytes(), config.maxHeaderBytes());
    }

    public static HttpClientConnection over(Flow flow, Scheduler scheduler, ClientConfig config) {
        return new HttpClientConnection(flow, scheduler, config);
    }

    /** Sends {@code request} once the previous exchange is over; resolves with the whole response. */
    public Promise<Result<HttpResponse, HttpError>> send(HttpRequest request) {
        Promise<Result<HttpResponse, HttpError>> result = Promise.pending();
        Promise<?> previous = tail;
        tail = result;
        previous.onComplete((v, e) -> exchange(request).forward(result));
        return result;
    }

    /** One request with {@code Connection: close} on a fresh flow, which is closed afterwards. */
    public static Promise<Result<HttpResponse, HttpError>> once(Flow flow, Scheduler scheduler, ClientConfig config,
                                                                HttpRequest request) {
        HttpClientConnection connection = over(flow, scheduler, config);
        return connection.send(request.withHeaders(request.headers().with("Connection", "close")))
                .flatMap(response -> connection.close().map(closed -> response));
    }

    /** Whether another request may be sent on this connection. */
    public boolean reusable() {
        return reusable;
    }

    public Promise<Unit> close() {
        reusable = false;
        closeCodec();
        return flow.close();
    }

    private boolean codecClosed;

    private void closeCodec() {
        if (!codecClosed) {
            codecClosed = true;
            codec.close();
        }
    }

    private Promise<Result<HttpResponse, HttpError>> exchange(HttpRequest request) {
        if (!reusable) {
            return Promise.resolved(Result.err(new HttpError.NotReusable()));
        }
        Headers headers = request.headers();
        if (!headers.contains("Host")) {
            headers = headers.with("Host", hostHeader(flow.remote()));
        }
        if (!config.userAgent().isEmpty() && !headers.contains("User-Agent")) {
            headers = headers.with("User-Agent", config.userAgent());
        }
        // RFC 9110 8.6: a body needs its length; methods that usually carry one send 0 explicitly.
        boolean expectsBody = switch (request.method()) {
            case "POST", "PUT", "PATCH" -> true;
            default -> false;
        };
        if (!request.body().isEmpty() || expectsBody) {
            headers = headers.with("Content-Length", Integer.toString(request.body().size()));
        }
        Bytes wire;
        try {
            wire = codec.encodeRequest(request.method(), request.target(), request.version(), headers.without("Transfer-Encoding"),
                    request.body());
        } catch (RuntimeException invalid) {
            return Promise.resolved(Result.err(new HttpError.Malformed("request cannot be encoded: " + invalid.getMessage())));
        }
        Exchange exchange = new Exchange();
        exchange.timer = scheduler.schedule(config.responseTimeout(), () -> exchange.finish(Result.err(new HttpError.TimedOut())));
        flow.write(wire).onComplete((written, failure) -> {
            if (failure != null) {
                exchange.finish(Result.err(new HttpError.Transport(new FlowError.Io(failure.toString()))));
            } else if (written instanceof Result.Err<Unit, FlowError>(FlowError error)) {
                exchange.finish(Result.err(new HttpError.Transport(error)));
            }
        });
        exchange.pull();
        return exchange.result;
    }

    private static String hostHeader(Endpoint remote) {
        String address = remote.address().getHostAddress();
        if (remote.address() instanceof Inet6Address) {
            address = "[" + address + "]";
        }
        return address + ":" + remote.port();
    }

    /** The reading side of one request/response exchange. */
    private final class Exchange {
        final Promise<Result<HttpResponse, HttpError>> result = Promise.pending();
        Cancellable timer;
        Decoded.ResponseHead head;
        boolean interim;
        boolean ended;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        void pull() {
            while (!result.isDone()) {
                Optional<Decoded> next = codec.next();
                if (next.isEmpty()) {
                    if (ended) {
                        finish(Result.err(new HttpError.ConnectionClosed()));
                    } else {
                        read();
                    }
                    return;
                }
                switch (next.get()) {
                    case Decoded.ResponseHead response -> {
                        // RFC 9110 15.2: interim 1xx answers (other than 101) precede the real one.
                        interim = response.status() < 200 && response.status() != 101;
                        if (!interim) {
                            head = response;
                        }
                    }
                    case Decoded.Content(Bytes bytes, boolean last) -> {
                        if (interim) {
                            interim = !last;
                            continue;
                        }
                        if (head == null) {
                            finish(Result.err(new HttpError.Malformed("body before a status line")));
                            return;
                        }
                        if ((long) body.size() + bytes.size() > config.maxBodyBytes()) {
                            finish(Result.err(new HttpError.TooLarge("response body")));
                            return;
                        }
                        body.writeBytes(bytes.toArray());
                        if (last) {
                            if (!head.keepAlive() || ended) {
                                reusable = false;
                            }
                            finish(Result.ok(HttpResponse.of(head.status(), head.headers(), Bytes.adopt(body.toByteArray()))));
                            return;
                        }
                    }
                    case Decoded.Malformed(int status, String reason) -> {
                        finish(Result.err(status == 431 || status == 414
                                ? new HttpError.TooLarge("response head")
                                : new HttpError.Malformed(reason)));
                        return;
                    }
                    case Decoded.RequestHead request -> {
                        finish(Result.err(new HttpError.Malformed("a request where a response belongs")));
                        return;
                    }
                }
            }
        }

        void read() {
            flow.read().onComplete((read, failure) -> {
                if (result.isDone()) {
                    return;
                }
                if (failure != null) {
                    finish(Result.err(new HttpError.Transport(new FlowError.Io(failure.toString()))));
                    return;
                }
                switch (read) {
                    case Result.Ok<ReadResult, FlowError>(ReadResult.Data(Bytes bytes)) -> codec.feed(bytes);
                    case Result.Ok<ReadResult, FlowError>(ReadResult.Eof eof) -> {
                        ended = true;
                        codec.endOfInput();
                    }
                    case Result.Err<ReadResult, FlowError>(FlowError error) -> {
                        finish(Result.err(new HttpError.Transport(error)));
                        return;
                    }
                }
                pull();
            });
        }

        void finish(Result<HttpResponse, HttpError> outcome) {
            if (result.isDone()) {
                return;
            }
            timer.cancel();
            if (!outcome.isOk()) {
                reusable = false;
            }
            boolean end = !reusable;
            result.resolve(outcome);
            if (end) {
                // After resolving, so the read this close cancels cannot claim the outcome.
                closeCodec();
                flow.close();
            }
        }
    }
}
