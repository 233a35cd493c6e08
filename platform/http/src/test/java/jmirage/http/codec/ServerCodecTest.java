package jmirage.http.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import jmirage.core.Bytes;
import jmirage.http.Headers;
import jmirage.http.HttpVersion;
import org.junit.jupiter.api.Test;

/**
 * The bytes of whole responses: the encoder hands a large body over as a buffer of its own after
 * the head's, and {@link Buffers#drainOutbound} joins them into one array; a small one comes as one
 * buffer. Either way the wire bytes are the status line, the headers and the body, byte for byte.
 */
class ServerCodecTest {

    private static ServerCodec afterRequests(int requests) {
        ServerCodec codec = new ServerCodec(4096, 8192);
        codec.feed(Bytes.utf8("GET /a HTTP/1.1\r\nHost: x\r\n\r\n".repeat(requests)));
        return codec;
    }

    @Test
    void aLargeBodyFollowsTheHeadByteForByte() {
        ServerCodec codec = afterRequests(1);
        byte[] body = new byte[3 * 1024 * 1024 + 17];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31 + (i >> 11));
        }
        Bytes wire = codec.encodeFull(207, HttpVersion.HTTP_1_1, Headers.of("Content-Length", Integer.toString(body.length)), Bytes.of(body));
        String head = "HTTP/1.1 207 Multi-Status\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] all = wire.toArray();
        assertEquals(head.length() + body.length, all.length);
        assertEquals(head, new String(all, 0, head.length(), java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(Arrays.equals(body, Arrays.copyOfRange(all, head.length(), all.length)), "the body, byte for byte");
        codec.close();
    }

    @Test
    void aSmallBodyAndAnEmptyOne() {
        ServerCodec codec = afterRequests(2);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
                codec.encodeFull(200, HttpVersion.HTTP_1_1, Headers.of("Content-Length", "2"), Bytes.utf8("ok")).toUtf8());
        assertEquals("HTTP/1.1 204 No Content\r\n\r\n", codec.encodeFull(204, HttpVersion.HTTP_1_1, Headers.EMPTY, Bytes.EMPTY).toUtf8());
        codec.close();
    }
}
