package jmirage.http.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HexFormat;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Result;
import org.junit.jupiter.api.Test;

/** HPACK against the examples of RFC 7541 Appendix C, and its refusals. */
class HpackTest {

    private static Bytes hex(String text) {
        return Bytes.of(HexFormat.of().parseHex(text.replace(" ", "")));
    }

    private static List<Hpack.Field> fields(String... namesAndValues) {
        List<Hpack.Field> list = new java.util.ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            list.add(new Hpack.Field(namesAndValues[i], namesAndValues[i + 1]));
        }
        return list;
    }

    @Test
    void requestsWithoutHuffmanShareTheDynamicTable() {
        // RFC 7541 C.3.1 to C.3.3
        Hpack.Decoder d = new Hpack.Decoder(4096, 16384);
        assertEquals(Result.ok(fields(":method", "GET", ":scheme", "http", ":path", "/", ":authority", "www.example.com")),
                d.decode(hex("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d")));
        assertEquals(Result.ok(fields(":method", "GET", ":scheme", "http", ":path", "/", ":authority", "www.example.com",
                "cache-control", "no-cache")), d.decode(hex("8286 84be 5808 6e6f 2d63 6163 6865")));
        assertEquals(Result.ok(fields(":method", "GET", ":scheme", "https", ":path", "/index.html", ":authority", "www.example.com",
                "custom-key", "custom-value")),
                d.decode(hex("8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65")));
    }

    @Test
    void requestsWithHuffman() {
        // RFC 7541 C.4.1 to C.4.3
        Hpack.Decoder d = new Hpack.Decoder(4096, 16384);
        assertEquals(Result.ok(fields(":method", "GET", ":scheme", "http", ":path", "/", ":authority", "www.example.com")),
                d.decode(hex("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff")));
        assertEquals(Result.ok(fields(":method", "GET", ":scheme", "http", ":path", "/", ":authority", "www.example.com",
                "cache-control", "no-cache")), d.decode(hex("8286 84be 5886 a8eb 1064 9cbf")));
        assertEquals(Result.ok(fields(":method", "GET", ":scheme", "https", ":path", "/index.html", ":authority", "www.example.com",
                "custom-key", "custom-value")),
                d.decode(hex("8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf")));
    }

    @Test
    void whatWeEncodeDecodes() {
        List<Hpack.Field> answer = fields(":status", "200", "content-type", "application/dns-message", "cache-control", "max-age=300",
                "x-long", "v".repeat(300));
        assertEquals(Result.ok(answer), new Hpack.Decoder(4096, 16384).decode(Hpack.encode(answer)));
    }

    @Test
    void brokenBlocksAreCompressionErrors() {
        Hpack.Decoder d = new Hpack.Decoder(4096, 16384);
        assertFalse(d.decode(hex("80")).isOk(), "index 0");
        assertFalse(d.decode(hex("be")).isOk(), "an empty dynamic table has no entry 62");
        assertFalse(d.decode(hex("0f")).isOk(), "truncated");
        assertFalse(d.decode(hex("4082 ffff 01 61")).isOk(), "Huffman padding longer than 7 bits");
        assertEquals(Result.ok(List.of()), d.decode(hex("3fe1 1f")), "a table size of 4096, the most we allow");
        assertFalse(d.decode(hex("3fe2 1f")).isOk(), "a table size of 4097");
        assertFalse(new Hpack.Decoder(4096, 100).decode(hex("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d")).isOk(),
                "four fields of more than 32 bytes each over a limit of 100");
    }
}
