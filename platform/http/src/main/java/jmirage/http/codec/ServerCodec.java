package jmirage.http.codec;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.http.Headers;
import jmirage.http.HttpVersion;

/**
 * Netty's {@link HttpServerCodec} used as a pure bytes-to-messages transformer, for one connection:
 * no socket, no thread, no event loop of its own (an {@link EmbeddedChannel} runs the handlers on
 * the caller's thread). The server shell feeds it the bytes a Flow read and writes to the Flow the
 * bytes it encodes.
 *
 * <p>ByteBuf ownership: {@link #feed} copies the Bytes into a heap buffer that the channel owns
 * (the decoder releases it). Every message {@link #next} takes from the channel is copied into
 * {@link Decoded} values and released before it returns. Encoding wraps the caller's Bytes in
 * read-only buffers the encoder releases; the encoded buffers are copied out and released in
 * {@link Buffers#drainOutbound}. No ByteBuf leaves this class. Call {@link #close} when the
 * connection ends, which releases whatever is still queued.
 *
 * <p>The codec remembers each request's method, so a response to HEAD goes out without a body
 * (RFC 9110 9.3.2) and responses must be encoded in request order, as pipelining requires anyway.
 */
public final class ServerCodec {

    private final EmbeddedChannel channel;
    private boolean failed;

    public ServerCodec(int maxRequestLineBytes, int maxHeaderBytes) {
        HttpDecoderConfig config = new HttpDecoderConfig()
                .setMaxInitialLineLength(maxRequestLineBytes)
                .setMaxHeaderSize(maxHeaderBytes)
                .setMaxChunkSize(16 * 1024);
        this.channel = new EmbeddedChannel(new HttpServerCodec(config));
    }

    /** Decodes {@code bytes}; the messages they complete wait in {@link #next}. */
    public void feed(Bytes bytes) {
        if (failed || bytes.isEmpty()) {
            return;
        }
        try {
            channel.writeInbound(Buffers.copyIn(bytes));
        } catch (RuntimeException decoderBug) {
            // The decoder reports malformed input as a failed DecoderResult; anything thrown is
            // unexpected, but it is still the peer's input that caused it: treat it as malformed.
            failed = true;
            pendingFailure = new Decoded.Malformed(400, "decoder failure: " + decoderBug.getClass().getSimpleName());
        }
    }

    private Decoded.Malformed pendingFailure;

    /** Whether decoded pieces are waiting (pipelined requests already read). */
    public boolean hasDecoded() {
        return pendingFailure != null || (!failed && !channel.inboundMessages().isEmpty());
    }

    /** The next decoded piece, if the bytes fed so far complete one. */
    public Optional<Decoded> next() {
        if (pendingFailure != null) {
            Decoded.Malformed m = pendingFailure;
            pendingFailure = null;
            return Optional.of(m);
        }
        if (failed) {
            return Optional.empty();
        }
        Object message = channel.readInbound();
        if (message == null) {
            return Optional.empty();
        }
        try {
            Decoded decoded = convert((HttpObject) message);
            if (decoded instanceof Decoded.Malformed) {
                failed = true;
            }
            return Optional.of(decoded);
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    private static Decoded convert(HttpObject message) {
        if (message.decoderResult().isFailure()) {
            return Failures.malformed(message.decoderResult());
        }
        if (message instanceof HttpRequest request) {
            io.netty.handler.codec.http.HttpVersion v = request.protocolVersion();
            if (v.majorVersion() != 1) {
                return new Decoded.Malformed(505, "unsupported version " + v.text());
            }
            HttpVersion version = v.minorVersion() == 0 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
            // A FullHttpRequest only comes from the decoder as a failure, handled above.
            return new Decoded.RequestHead(request.method().name(), request.uri(), version,
                    Buffers.headers(request.headers()), HttpUtil.isKeepAlive(request));
        }
        if (message instanceof HttpContent content) {
            return new Decoded.Content(Buffers.copyOut(content.content()), message instanceof LastHttpContent);
        }
        return new Decoded.Malformed(400, "unexpected message " + message.getClass().getSimpleName());
    }

    /** The bytes of a whole response: status line, {@code headers} as given, then {@code body}. */
    public Bytes encodeFull(int status, HttpVersion version, Headers headers, Bytes body) {
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(nettyVersion(version),
                HttpResponseStatus.valueOf(status), Buffers.view(body));
        Buffers.copyHeaders(headers, response.headers());
        return encode(response);
    }

    /** The bytes of a status line and headers, for a body that follows in chunks. */
    public Bytes encodeHead(int status, HttpVersion version, Headers headers) {
        DefaultHttpResponse response = new DefaultHttpResponse(nettyVersion(version), HttpResponseStatus.valueOf(status));
        Buffers.copyHeaders(headers, response.headers());
        return encode(response);
    }

    /** One body chunk after {@link #encodeHead} (chunk framing added if the head said chunked). */
    public Bytes encodeChunk(Bytes chunk) {
        return encode(new DefaultHttpContent(Buffers.view(chunk)));
    }

    /** The end of a body that followed {@link #encodeHead}. */
    public Bytes encodeEnd() {
        return encode(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    /** An interim 100 Continue (RFC 9110 15.2.1); does not count as the request's answer. */
    public Bytes encodeContinue() {
        return encode(new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                HttpResponseStatus.CONTINUE));
    }

    private Bytes encode(HttpObject message) {
        channel.writeOutbound(message);
        return Buffers.drainOutbound(channel);
    }

    /** Releases every buffer still queued in the codec. */
    public void close() {
        channel.finishAndReleaseAll();
    }

    static io.netty.handler.codec.http.HttpVersion nettyVersion(HttpVersion version) {
        return version == HttpVersion.HTTP_1_0
                ? io.netty.handler.codec.http.HttpVersion.HTTP_1_0
                : io.netty.handler.codec.http.HttpVersion.HTTP_1_1;
    }

}
