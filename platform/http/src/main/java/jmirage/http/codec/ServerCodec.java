package jmirage.http.codec;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
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
    private final InboundDecoder decoder;

    public ServerCodec(int maxRequestLineBytes, int maxHeaderBytes) {
        HttpDecoderConfig config = new HttpDecoderConfig()
                .setMaxInitialLineLength(maxRequestLineBytes)
                .setMaxHeaderSize(maxHeaderBytes)
                .setMaxChunkSize(16 * 1024);
        this.channel = new EmbeddedChannel(new HttpServerCodec(config));
        this.decoder = new InboundDecoder(channel, ServerCodec::readHead);
    }

    /** Decodes {@code bytes}; the messages they complete wait in {@link #next}. */
    public void feed(Bytes bytes) {
        decoder.feed(bytes);
    }

    /** Whether decoded pieces are waiting (pipelined requests already read). */
    public boolean hasDecoded() {
        return decoder.hasDecoded();
    }

    /** The next decoded piece, if the bytes fed so far complete one. */
    public Optional<Decoded> next() {
        return decoder.next();
    }

    private static Decoded readHead(HttpMessage head) {
        if (!(head instanceof HttpRequest request)) {
            return new Decoded.Malformed(400, "unexpected message " + head.getClass().getSimpleName());
        }
        return InboundDecoder.version(request.protocolVersion())
                .<Decoded>map(version -> new Decoded.RequestHead(request.method().name(), request.uri(), version,
                        Buffers.headers(request.headers()), HttpUtil.isKeepAlive(request)))
                .orElseGet(() -> new Decoded.Malformed(505, "unsupported version " + request.protocolVersion().text()));
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
