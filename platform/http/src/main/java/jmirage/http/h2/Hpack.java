package jmirage.http.h2;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jmirage.core.Bytes;
import jmirage.core.Result;

/**
 * HPACK (RFC 7541): a header block decoder with its dynamic table, one per connection and
 * direction, and an encoder that writes every field as a literal without indexing and without
 * Huffman coding (RFC 7541 6.2.2), which any decoder reads and which keeps no state. Pure but for
 * the decoder's table, which the connection owns on its loop.
 */
public final class Hpack {

    /** One header field; names are lower case in HTTP/2 (RFC 9113 8.2.1). */
    public record Field(String name, String value) {}

    /** RFC 7541 4.1: an entry's size is its name and value lengths plus 32. */
    private static final int ENTRY_OVERHEAD = 32;
    /** RFC 7541 Appendix A: the static table, index 1 to 61. */
    private static final String[] STATIC = {
            ":authority", "",
            ":method", "GET",
            ":method", "POST",
            ":path", "/",
            ":path", "/index.html",
            ":scheme", "http",
            ":scheme", "https",
            ":status", "200",
            ":status", "204",
            ":status", "206",
            ":status", "304",
            ":status", "400",
            ":status", "404",
            ":status", "500",
            "accept-charset", "",
            "accept-encoding", "gzip, deflate",
            "accept-language", "",
            "accept-ranges", "",
            "accept", "",
            "access-control-allow-origin", "",
            "age", "",
            "allow", "",
            "authorization", "",
            "cache-control", "",
            "content-disposition", "",
            "content-encoding", "",
            "content-language", "",
            "content-length", "",
            "content-location", "",
            "content-range", "",
            "content-type", "",
            "cookie", "",
            "date", "",
            "etag", "",
            "expect", "",
            "expires", "",
            "from", "",
            "host", "",
            "if-match", "",
            "if-modified-since", "",
            "if-none-match", "",
            "if-range", "",
            "if-unmodified-since", "",
            "last-modified", "",
            "link", "",
            "location", "",
            "max-forwards", "",
            "proxy-authenticate", "",
            "proxy-authorization", "",
            "range", "",
            "referer", "",
            "refresh", "",
            "retry-after", "",
            "server", "",
            "set-cookie", "",
            "strict-transport-security", "",
            "transfer-encoding", "",
            "user-agent", "",
            "vary", "",
            "via", "",
            "www-authenticate", "",
    };
    /** RFC 7541 Appendix B: the code of each byte value, right-aligned, and its length in bits. */
    private static final int[] CODES = {
            0x1ff8, 0x7fffd8, 0xfffffe2, 0xfffffe3, 0xfffffe4, 0xfffffe5, 0xfffffe6, 0xfffffe7,
            0xfffffe8, 0xffffea, 0x3ffffffc, 0xfffffe9, 0xfffffea, 0x3ffffffd, 0xfffffeb, 0xfffffec,
            0xfffffed, 0xfffffee, 0xfffffef, 0xffffff0, 0xffffff1, 0xffffff2, 0x3ffffffe, 0xffffff3,
            0xffffff4, 0xffffff5, 0xffffff6, 0xffffff7, 0xffffff8, 0xffffff9, 0xffffffa, 0xffffffb,
            0x14, 0x3f8, 0x3f9, 0xffa, 0x1ff9, 0x15, 0xf8, 0x7fa,
            0x3fa, 0x3fb, 0xf9, 0x7fb, 0xfa, 0x16, 0x17, 0x18,
            0x0, 0x1, 0x2, 0x19, 0x1a, 0x1b, 0x1c, 0x1d,
            0x1e, 0x1f, 0x5c, 0xfb, 0x7ffc, 0x20, 0xffb, 0x3fc,
            0x1ffa, 0x21, 0x5d, 0x5e, 0x5f, 0x60, 0x61, 0x62,
            0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a,
            0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72,
            0xfc, 0x73, 0xfd, 0x1ffb, 0x7fff0, 0x1ffc, 0x3ffc, 0x22,
            0x7ffd, 0x3, 0x23, 0x4, 0x24, 0x5, 0x25, 0x26,
            0x27, 0x6, 0x74, 0x75, 0x28, 0x29, 0x2a, 0x7,
            0x2b, 0x76, 0x2c, 0x8, 0x9, 0x2d, 0x77, 0x78,
            0x79, 0x7a, 0x7b, 0x7ffe, 0x7fc, 0x3ffd, 0x1ffd, 0xffffffc,
            0xfffe6, 0x3fffd2, 0xfffe7, 0xfffe8, 0x3fffd3, 0x3fffd4, 0x3fffd5, 0x7fffd9,
            0x3fffd6, 0x7fffda, 0x7fffdb, 0x7fffdc, 0x7fffdd, 0x7fffde, 0xffffeb, 0x7fffdf,
            0xffffec, 0xffffed, 0x3fffd7, 0x7fffe0, 0xffffee, 0x7fffe1, 0x7fffe2, 0x7fffe3,
            0x7fffe4, 0x1fffdc, 0x3fffd8, 0x7fffe5, 0x3fffd9, 0x7fffe6, 0x7fffe7, 0xffffef,
            0x3fffda, 0x1fffdd, 0xfffe9, 0x3fffdb, 0x3fffdc, 0x7fffe8, 0x7fffe9, 0x1fffde,
            0x7fffea, 0x3fffdd, 0x3fffde, 0xfffff0, 0x1fffdf, 0x3fffdf, 0x7fffeb, 0x7fffec,
            0x1fffe0, 0x1fffe1, 0x3fffe0, 0x1fffe2, 0x7fffed, 0x3fffe1, 0x7fffee, 0x7fffef,
            0xfffea, 0x3fffe2, 0x3fffe3, 0x3fffe4, 0x7ffff0, 0x3fffe5, 0x3fffe6, 0x7ffff1,
            0x3ffffe0, 0x3ffffe1, 0xfffeb, 0x7fff1, 0x3fffe7, 0x7ffff2, 0x3fffe8, 0x1ffffec,
            0x3ffffe2, 0x3ffffe3, 0x3ffffe4, 0x7ffffde, 0x7ffffdf, 0x3ffffe5, 0xfffff1, 0x1ffffed,
            0x7fff2, 0x1fffe3, 0x3ffffe6, 0x7ffffe0, 0x7ffffe1, 0x3ffffe7, 0x7ffffe2, 0xfffff2,
            0x1fffe4, 0x1fffe5, 0x3ffffe8, 0x3ffffe9, 0xffffffd, 0x7ffffe3, 0x7ffffe4, 0x7ffffe5,
            0xfffec, 0xfffff3, 0xfffed, 0x1fffe6, 0x3fffe9, 0x1fffe7, 0x1fffe8, 0x7ffff3,
            0x3fffea, 0x3fffeb, 0x1ffffee, 0x1ffffef, 0xfffff4, 0xfffff5, 0x3ffffea, 0x7ffff4,
            0x3ffffeb, 0x7ffffe6, 0x3ffffec, 0x3ffffed, 0x7ffffe7, 0x7ffffe8, 0x7ffffe9, 0x7ffffea,
            0x7ffffeb, 0xffffffe, 0x7ffffec, 0x7ffffed, 0x7ffffee, 0x7ffffef, 0x7fffff0, 0x3ffffee,
    };
    private static final int[] LENGTHS = {
            13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,
            28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
            6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,
            5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
            13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
            7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
            15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,
            6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
            20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,
            24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
            22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,
            21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
            26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
            19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
            20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,
            26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
    };
    /** For each code length, code to symbol. */
    private static final List<Map<Integer, Integer>> BY_LENGTH = new ArrayList<>();

    static {
        for (int len = 0; len <= 30; len++) {
            BY_LENGTH.add(new HashMap<>());
        }
        for (int sym = 0; sym < 256; sym++) {
            BY_LENGTH.get(LENGTHS[sym]).put(CODES[sym], sym);
        }
    }

    private Hpack() {}

    /** Decodes header blocks of one direction of a connection, keeping its dynamic table (RFC 7541 2.3.2). */
    public static final class Decoder {
        private final int maxTableSize;
        private final int maxListSize;
        private final Deque<Field> dynamic = new ArrayDeque<>();
        private int tableSize;
        private int tableLimit;

        /**
         * @param maxTableSize the SETTINGS_HEADER_TABLE_SIZE we announced (4096 by default)
         * @param maxListSize the largest header list accepted, as RFC 7541 4.1 counts sizes
         */
        public Decoder(int maxTableSize, int maxListSize) {
            this.maxTableSize = maxTableSize;
            this.tableLimit = maxTableSize;
            this.maxListSize = maxListSize;
        }

        /** The fields of one complete header block, or why it is a COMPRESSION_ERROR (RFC 9113 4.3). */
        public Result<List<Field>, String> decode(Bytes block) {
            List<Field> fields = new ArrayList<>();
            int[] at = {0};
            int listSize = 0;
            while (at[0] < block.size()) {
                int b = block.getUnsigned(at[0]);
                Field f;
                if ((b & 0x80) != 0) {
                    long index = integer(block, at, 7);
                    if (index <= 0) {
                        return Result.err("indexed field 0 or truncated");
                    }
                    f = entry(index);
                    if (f == null) {
                        return Result.err("no table entry " + index);
                    }
                } else if ((b & 0xe0) == 0x20) {
                    if (!fields.isEmpty()) {
                        return Result.err("a table size update after the first field"); // RFC 7541 4.2
                    }
                    long size = integer(block, at, 5);
                    if (size < 0 || size > maxTableSize) {
                        return Result.err("table size update to " + size + " above " + maxTableSize);
                    }
                    tableLimit = (int) size;
                    evict(0);
                    continue;
                } else {
                    boolean index = (b & 0xc0) == 0x40;
                    long nameIndex = integer(block, at, index ? 6 : 4);
                    if (nameIndex < 0) {
                        return Result.err("truncated name index");
                    }
                    String name;
                    if (nameIndex == 0) {
                        name = string(block, at);
                    } else {
                        Field named = entry(nameIndex);
                        name = named == null ? null : named.name();
                    }
                    String value = name == null ? null : string(block, at);
                    if (value == null) {
                        return Result.err("bad literal");
                    }
                    f = new Field(name, value);
                    if (index) {
                        add(f);
                    }
                }
                listSize += f.name().length() + f.value().length() + ENTRY_OVERHEAD;
                if (listSize > maxListSize) {
                    return Result.err("header list over " + maxListSize + " bytes");
                }
                fields.add(f);
            }
            return Result.ok(List.copyOf(fields));
        }

        private Field entry(long index) {
            if (index <= STATIC.length / 2) {
                int i = (int) (index - 1) * 2;
                return new Field(STATIC[i], STATIC[i + 1]);
            }
            long dynamicIndex = index - STATIC.length / 2 - 1;
            if (dynamicIndex >= dynamic.size()) {
                return null;
            }
            return dynamic.stream().skip(dynamicIndex).findFirst().orElseThrow();
        }

        private void add(Field f) {
            int size = f.name().length() + f.value().length() + ENTRY_OVERHEAD;
            evict(size);
            if (size <= tableLimit) { // RFC 7541 4.4: an entry larger than the table empties it
                dynamic.addFirst(f);
                tableSize += size;
            }
        }

        private void evict(int room) {
            while (!dynamic.isEmpty() && tableSize + room > tableLimit) {
                Field old = dynamic.removeLast();
                tableSize -= old.name().length() + old.value().length() + ENTRY_OVERHEAD;
            }
        }
    }

    /** RFC 7541 5.1: an integer with an N-bit prefix at {@code at[0]}, advancing it; -1 if truncated or too large. */
    static long integer(Bytes in, int[] at, int prefixBits) {
        if (at[0] >= in.size()) {
            return -1;
        }
        int max = (1 << prefixBits) - 1;
        long value = in.getUnsigned(at[0]++) & max;
        if (value < max) {
            return value;
        }
        int shift = 0;
        while (at[0] < in.size()) {
            int b = in.getUnsigned(at[0]++);
            value += (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
            shift += 7;
            if (shift > 28) {
                return -1;
            }
        }
        return -1;
    }

    /** RFC 7541 5.2: a string literal, Huffman-coded or not; null if malformed. */
    static String string(Bytes in, int[] at) {
        if (at[0] >= in.size()) {
            return null;
        }
        boolean huffman = (in.getUnsigned(at[0]) & 0x80) != 0;
        long length = integer(in, at, 7);
        if (length < 0 || at[0] + length > in.size()) {
            return null;
        }
        Bytes raw = in.slice(at[0], at[0] + (int) length);
        at[0] += (int) length;
        return huffman ? huffman(raw) : new String(raw.toArray(), StandardCharsets.ISO_8859_1);
    }

    /** RFC 7541 5.2 and Appendix B; null for an EOS symbol or padding that is not a prefix of EOS. */
    static String huffman(Bytes coded) {
        StringBuilder out = new StringBuilder();
        int code = 0;
        int bits = 0;
        for (int i = 0; i < coded.size(); i++) {
            int b = coded.getUnsigned(i);
            for (int bit = 7; bit >= 0; bit--) {
                code = code << 1 | (b >>> bit & 1);
                bits++;
                Integer sym = bits >= 5 ? BY_LENGTH.get(bits).get(code) : null;
                if (sym != null) {
                    out.append((char) sym.intValue());
                    code = 0;
                    bits = 0;
                } else if (bits >= 30) {
                    return null; // the EOS code (30 ones), or no code at all
                }
            }
        }
        // padding: fewer than 8 bits, all ones (the most significant bits of EOS)
        return bits < 8 && code == (1 << bits) - 1 ? out.toString() : null;
    }

    /** A header block of literal fields without indexing (RFC 7541 6.2.2), names and values as they are. */
    public static Bytes encode(List<Field> fields) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Field f : fields) {
            out.write(0);
            literal(out, f.name());
            literal(out, f.value());
        }
        return Bytes.of(out.toByteArray());
    }

    private static void literal(java.io.ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        writeInteger(out, 0, 7, bytes.length);
        out.writeBytes(bytes);
    }

    /** RFC 7541 5.1. */
    static void writeInteger(java.io.ByteArrayOutputStream out, int firstBits, int prefixBits, int value) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            out.write(firstBits | value);
            return;
        }
        out.write(firstBits | max);
        int rest = value - max;
        while (rest >= 0x80) {
            out.write(rest & 0x7f | 0x80);
            rest >>>= 7;
        }
        out.write(rest);
    }
}
