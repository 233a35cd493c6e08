package jmirage.kv.dir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.kv.Change;
import jmirage.core.kv.Key;

/**
 * The dir backend's write-ahead record of one batch, as bytes. Layout, all integers big-endian:
 * {@code "KVJ1"}, change count (4), then per change a tag (1 set, 2 remove), key length (4), key
 * in UTF-8 ({@code a/b/c}), and for a set the value length (4) and value; last, a CRC32C (4) of
 * everything before it. A journal that does not decode exactly is treated as never written.
 */
final class Journal {

    private static final int MAGIC = 0x4B564A31; // "KVJ1"
    private static final byte SET = 1;
    private static final byte REMOVE = 2;

    private Journal() {}

    static byte[] encode(List<Change> changes) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buffer);
        try {
            out.writeInt(MAGIC);
            out.writeInt(changes.size());
            for (Change change : changes) {
                out.writeByte(change instanceof Change.Set ? SET : REMOVE);
                byte[] key = change.key().toString().getBytes(StandardCharsets.UTF_8);
                out.writeInt(key.length);
                out.write(key);
                if (change instanceof Change.Set(Key ignored, Bytes value)) {
                    out.writeInt(value.size());
                    out.write(value.toArray());
                }
            }
            CRC32C crc = new CRC32C();
            crc.update(buffer.toByteArray());
            out.writeInt((int) crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException("a byte array stream does not fail", e);
        }
        return buffer.toByteArray();
    }

    /** The changes, or empty if the bytes are torn, corrupt or not a journal. */
    static Optional<List<Change>> decode(byte[] journal) {
        if (journal.length < 12) {
            return Optional.empty();
        }
        CRC32C crc = new CRC32C();
        crc.update(journal, 0, journal.length - 4);
        ByteBuffer in = ByteBuffer.wrap(journal, 0, journal.length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(journal, journal.length - 4, 4).getInt()
                || in.getInt() != MAGIC) {
            return Optional.empty();
        }
        try {
            int count = in.getInt();
            List<Change> changes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                byte tag = in.get();
                String path = new String(chunk(in), StandardCharsets.UTF_8);
                if (!(Key.parse(path) instanceof Result.Ok<Key, ?>(Key key)) || !key.toString().equals(path)) {
                    return Optional.empty();
                }
                switch (tag) {
                    case SET -> changes.add(new Change.Set(key, Bytes.adopt(chunk(in))));
                    case REMOVE -> changes.add(new Change.Remove(key));
                    default -> {
                        return Optional.empty();
                    }
                }
            }
            return in.hasRemaining() ? Optional.empty() : Optional.of(changes);
        } catch (BufferUnderflowException e) {
            return Optional.empty();
        }
    }

    /** A length-prefixed run of bytes; a length past the end is a torn or corrupt journal. */
    private static byte[] chunk(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }
}
