package jmirage.http.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jmirage.core.Bytes;
import jmirage.http.Headers;

/** The ByteBuf boundary, in one place: every buffer that crosses it is copied and released here. */
final class Buffers {

    private Buffers() {}

    /** A heap buffer holding a copy of {@code bytes}; whoever it is handed to owns and releases it. */
    static ByteBuf copyIn(Bytes bytes) {
        return Unpooled.wrappedBuffer(bytes.toArray());
    }

    /** A buffer reading {@code bytes} without copying; read-only, so nobody can change the Bytes. */
    static ByteBuf view(Bytes bytes) {
        return bytes.isEmpty() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes.asReadOnlyBuffer());
    }

    /** A copy of the readable bytes of {@code buf}; does not release it. */
    static Bytes copyOut(ByteBuf buf) {
        byte[] data = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), data);
        return Bytes.adopt(data);
    }

    /**
     * Takes every buffer the channel wrote, copies them into one Bytes and releases each. Each byte
     * is copied once, into an array of the exact total: a multistatus of megabytes (CalDAV's
     * PROPFIND of a large calendar) is one allocation of its size, not a growing stream and a copy.
     */
    static Bytes drainOutbound(EmbeddedChannel channel) {
        List<ByteBuf> written = new ArrayList<>(2);
        try {
            Object message;
            while ((message = channel.readOutbound()) != null) {
                written.add((ByteBuf) message);
            }
            if (written.size() == 1) {
                return copyOut(written.getFirst());
            }
            int total = 0;
            for (ByteBuf buf : written) {
                total = Math.addExact(total, buf.readableBytes());
            }
            byte[] data = new byte[total];
            int at = 0;
            for (ByteBuf buf : written) {
                int n = buf.readableBytes();
                buf.getBytes(buf.readerIndex(), data, at, n);
                at += n;
            }
            return Bytes.adopt(data);
        } finally {
            written.forEach(ByteBuf::release);
        }
    }

    static Headers headers(HttpHeaders netty) {
        List<Headers.Field> fields = new ArrayList<>(netty.size());
        for (Map.Entry<String, String> e : netty) {
            fields.add(new Headers.Field(e.getKey(), e.getValue()));
        }
        return new Headers(fields);
    }

    static void copyHeaders(Headers from, HttpHeaders to) {
        for (Headers.Field f : from.fields()) {
            to.add(f.name(), f.value());
        }
    }
}
