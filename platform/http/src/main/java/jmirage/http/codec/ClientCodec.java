package jmirage.http.codec;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
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
    private final InboundDecoder decoder;

    public ClientCodec(int maxStatusLineBytes, int maxHeaderBytes) {
        HttpDecoderConfig config = new HttpDecoderConfig()
                .setMaxInitialLineLength(maxStatusLineBytes)
                .setMaxHeaderSize(maxHeaderBytes)
                .setMaxChunkSize(64 * 1024);
        this.channel = new EmbeddedChannel(new HttpClientCodec(config, false, false));
        this.decoder = new InboundDecoder(channel, ClientCodec::readHead);
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
        decoder.feed(bytes);
    }

    /** The peer ended its stream: a body delimited by the end of the connection is now complete. */
    public void endOfInput() {
        decoder.endOfInput();
    }

    public Optional<Decoded> next() {
        return decoder.next();
    }

    private static Decoded readHead(HttpMessage head) {
        if (!(head instanceof HttpResponse response)) {
            return new Decoded.Malformed(400, "unexpected message " + head.getClass().getSimpleName());
        }
        return InboundDecoder.version(response.protocolVersion())
                .<Decoded>map(version -> new Decoded.ResponseHead(response.status().code(), version,
                        Buffers.headers(response.headers()), HttpUtil.isKeepAlive(response)))
                .orElseGet(() -> new Decoded.Malformed(505, "unsupported version " + response.protocolVersion().text()));
    }

    public void close() {
        channel.finishAndReleaseAll();
    }
}
