package jmirage.http.codec;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.Optional;
import java.util.function.Function;
import jmirage.core.Bytes;
import jmirage.http.HttpVersion;

/**
 * The decoding half that {@link ServerCodec} and {@link ClientCodec} share: bytes go into the codec's
 * channel, decoded pieces come out as {@link Decoded} values, and the first malformed piece ends
 * decoding for good (a connection cannot resynchronise after it). Only reading a message head
 * differs between the two, so the codec passes that in.
 */
final class InboundDecoder {

    private final EmbeddedChannel channel;
    private final Function<HttpMessage, Decoded> readHead;
    private boolean failed;
    private Decoded.Malformed pendingFailure;

    InboundDecoder(EmbeddedChannel channel, Function<HttpMessage, Decoded> readHead) {
        this.channel = channel;
        this.readHead = readHead;
    }

    /** Decodes {@code bytes}; the pieces they complete wait in {@link #next}. */
    void feed(Bytes bytes) {
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

    /** The peer ended its stream: a body delimited by the end of the connection is now complete. */
    void endOfInput() {
        if (!failed) {
            channel.finish();
        }
    }

    /** Whether decoded pieces are waiting (pipelined messages already read). */
    boolean hasDecoded() {
        return pendingFailure != null || (!failed && !channel.inboundMessages().isEmpty());
    }

    /** The next decoded piece, if the bytes fed so far complete one. */
    Optional<Decoded> next() {
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

    private Decoded convert(HttpObject message) {
        if (message.decoderResult().isFailure()) {
            return Failures.malformed(message.decoderResult());
        }
        // A head first: a full message (head and content in one) only comes from the decoder as a
        // failure, handled above.
        if (message instanceof HttpMessage head) {
            return readHead.apply(head);
        }
        if (message instanceof HttpContent content) {
            return new Decoded.Content(Buffers.copyOut(content.content()), message instanceof LastHttpContent);
        }
        return new Decoded.Malformed(400, "unexpected message " + message.getClass().getSimpleName());
    }

    /** HTTP/1.0 or 1.1, or empty for any other version (the caller answers 505). */
    static Optional<HttpVersion> version(io.netty.handler.codec.http.HttpVersion v) {
        if (v.majorVersion() != 1) {
            return Optional.empty();
        }
        return Optional.of(v.minorVersion() == 0 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1);
    }
}
