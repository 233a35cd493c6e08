package jmirage.http.codec;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.http.Headers;
import jmirage.http.HttpVersion;

/**
 * Netty's {@link HttpClientCodec} as a pure transformer, the client's twin of {@link ServerCodec}
 * with the same ByteBuf rules: bytes fed are copied into a buffer the channel owns, messages taken
 * out are copied into {@link Decoded} values and released, encoded buffers are copied out and
 * released. The codec remembers each request's method, so the answer to HEAD is read without body.
 */
public final class ClientCodec {

    private final EmbeddedChannel channel;
    private boolean failed;
    private Decoded.Malformed pendingFailure;

    public ClientCodec(int maxStatusLineBytes, int maxHeaderBytes) {
        HttpDecoderConfig config = new HttpDecoderConfig()
                .setMaxInitialLineLength(maxStatusLineBytes)
                .setMaxHeaderSize(maxHeaderBytes)
                .setMaxChunkSize(64 * 1024);
        this.channel = new EmbeddedChannel(new HttpClientCodec(config, false, false));
    }

    /** The bytes of a whole request. */
    public Bytes encodeRequest(String method, String target, HttpVersion version, Headers headers, Bytes body) {
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(ServerCodec.nettyVersion(version),
                HttpMethod.valueOf(method), target, Buffers.view(body));
        Buffers.copyHeaders(headers, request.headers());
        channel.writeOutbound(request);
        return Buffers.drainOutbound(channel);
    }

    public void feed(Bytes bytes) {
        if (failed || bytes.isEmpty()) {
            return;
        }
        try {
            channel.writeInbound(Buffers.copyIn(bytes));
        } catch (RuntimeException decoderBug) {
            failed = true;
            pendingFailure = new Decoded.Malformed(400, "decoder failure: " + decoderBug.getClass().getSimpleName());
        }
    }

    /** The peer ended its stream: a body delimited by the end of the connection is now complete. */
    public void endOfInput() {
        if (!failed) {
            channel.finish();
        }
    }

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
        if (message instanceof HttpResponse response) {
            io.netty.handler.codec.http.HttpVersion v = response.protocolVersion();
            if (v.majorVersion() != 1) {
                return new Decoded.Malformed(505, "unsupported version " + v.text());
            }
            HttpVersion version = v.minorVersion() == 0 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
            return new Decoded.ResponseHead(response.status().code(), version, Buffers.headers(response.headers()),
                    HttpUtil.isKeepAlive(response));
        }
        if (message instanceof HttpContent content) {
            return new Decoded.Content(Buffers.copyOut(content.content()), message instanceof LastHttpContent);
        }
        return new Decoded.Malformed(400, "unexpected message " + message.getClass().getSimpleName());
    }

    public void close() {
        channel.finishAndReleaseAll();
    }
}
