package jmirage.http.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.ByteArrayOutputStream;
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

    /** Takes every buffer the channel wrote, copies them into one Bytes and releases each. */
    static Bytes drainOutbound(EmbeddedChannel channel) {
        ByteArrayOutputStream out = null;
        Bytes single = Bytes.EMPTY;
        Object message;
        while ((message = channel.readOutbound()) != null) {
            ByteBuf buf = (ByteBuf) message;
            try {
                if (single.isEmpty() && out == null) {
                    single = copyOut(buf);
                } else {
                    if (out == null) {
                        out = new ByteArrayOutputStream(single.size() + buf.readableBytes());
                        out.writeBytes(single.toArray());
                    }
                    byte[] data = new byte[buf.readableBytes()];
                    buf.getBytes(buf.readerIndex(), data);
                    out.writeBytes(data);
                }
            } finally {
                buf.release();
            }
        }
        return out == null ? single : Bytes.adopt(out.toByteArray());
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
