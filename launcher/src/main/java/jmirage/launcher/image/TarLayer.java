package jmirage.launcher.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * One layer of an OCI image (image-spec 1.1, layer.md): a ustar archive, gzip-compressed, written so
 * that the same entries give the same bytes on every build. Entries are sorted by path, each parent
 * directory is written before what it holds, every entry is owned by 0:0 (unless a directory says
 * otherwise) with no user or group name, one modification time for the whole layer, mode 0755 for
 * directories and executables and 0644 for other files;
 * {@link GZIPOutputStream} writes no file name and a zero time in its header.
 */
public final class TarLayer {

    /** What a layer holds at one path (without a leading slash). */
    public sealed interface Entry {
        /** A directory with its mode ({@code 01777} for {@code tmp}, else 0755), owned by uid and gid {@code owner}. */
        record Directory(int mode, int owner) implements Entry {}

        /** A regular file whose content is read from {@code source} (a symbolic link is followed). */
        record File(Path source, boolean executable) implements Entry {
            public File {
                Objects.requireNonNull(source);
            }
        }
    }

    /** A written layer: the blob's digest and size, and the digest of the uncompressed archive (its diff id). */
    public record Blob(String digest, long size, String diffId) {}

    private static final int BLOCK = 512;

    private final SortedMap<String, Entry> entries = new TreeMap<>();
    private final long modified;

    /** @param modified the modification time of every entry, in seconds since 1970 */
    public TarLayer(long modified) {
        this.modified = modified;
    }

    /** Adds a file at {@code path} and every parent directory not yet added. */
    public TarLayer file(String path, Path source, boolean executable) {
        parents(path);
        entries.put(path, new Entry.File(source, executable));
        return this;
    }

    /** Adds a directory at {@code path} with {@code mode} owned by {@code owner}, and its parents with 0755. */
    public TarLayer directory(String path, int mode, int owner) {
        parents(path);
        entries.put(path, new Entry.Directory(mode, owner));
        return this;
    }

    /** The paths in the layer, in the order they are written. */
    public List<String> paths() {
        return List.copyOf(entries.keySet());
    }

    private void parents(String path) {
        if (path.startsWith("/") || path.isEmpty() || path.endsWith("/")) {
            throw new IllegalArgumentException("a layer path is relative and names a file: " + path);
        }
        for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
            entries.putIfAbsent(path.substring(0, slash), new Entry.Directory(0755, 0));
        }
    }

    /**
     * Writes the layer as a gzip blob named by its digest into {@code blobs} (the layout's
     * {@code blobs/sha256}), through a temporary file in the same folder.
     */
    public Blob writeTo(Path blobs) throws IOException {
        Path partial = Files.createTempFile(blobs, "layer", ".partial");
        MessageDigest compressed = sha256();
        MessageDigest archive = sha256();
        long size;
        try (OutputStream file = Files.newOutputStream(partial);
                DigestOutputStream blob = new DigestOutputStream(file, compressed);
                GZIPOutputStream gzip = new GZIPOutputStream(blob, 1 << 16);
                DigestOutputStream tar = new DigestOutputStream(gzip, archive)) {
            for (var entry : entries.entrySet()) {
                write(entry.getKey(), entry.getValue(), modified, tar);
            }
            // the end of an archive: two zero blocks (POSIX ustar)
            tar.write(new byte[2 * BLOCK]);
        }
        size = Files.size(partial);
        String digest = hex(compressed);
        Path named = Files.move(partial, blobs.resolve(digest));
        // a temporary file is private; a blob is read by whoever runs the image, as the JSON blobs are
        Files.setPosixFilePermissions(named, PosixFilePermissions.fromString("rw-r--r--"));
        return new Blob("sha256:" + digest, size, "sha256:" + hex(archive));
    }

    private static void write(String path, Entry entry, long modified, OutputStream tar) throws IOException {
        switch (entry) {
            case Entry.Directory(int mode, int owner) -> tar.write(header(path + "/", mode, owner, 0, modified, '5'));
            case Entry.File(Path source, boolean executable) -> {
                long size = Files.size(source);
                tar.write(header(path, executable ? 0755 : 0644, 0, size, modified, '0'));
                try (InputStream in = Files.newInputStream(source)) {
                    long copied = in.transferTo(tar);
                    if (copied != size) {
                        throw new IOException(source + " changed while it was archived");
                    }
                }
                int pad = (int) ((BLOCK - size % BLOCK) % BLOCK);
                tar.write(new byte[pad]);
            }
        }
    }

    /** A POSIX ustar header; a name over 100 bytes is split into prefix and name at a slash. */
    static byte[] header(String path, int mode, int owner, long size, long modified, char type) {
        byte[] header = new byte[BLOCK];
        byte[] full = path.getBytes(StandardCharsets.UTF_8);
        String name = path;
        String prefix = "";
        if (full.length > 100) {
            int split = path.lastIndexOf('/', path.length() - 2);
            while (split > 0 && (path.substring(0, split).getBytes(StandardCharsets.UTF_8).length > 155
                    || path.substring(split + 1).getBytes(StandardCharsets.UTF_8).length > 100)) {
                split = path.lastIndexOf('/', split - 1);
            }
            if (split <= 0) {
                throw new IllegalArgumentException("a path too long for a ustar header: " + path);
            }
            prefix = path.substring(0, split);
            name = path.substring(split + 1);
        }
        put(header, 0, 100, name.getBytes(StandardCharsets.UTF_8));
        octal(header, 100, 8, mode);
        octal(header, 108, 8, owner);
        octal(header, 116, 8, owner);
        octal(header, 124, 12, size);
        octal(header, 136, 12, modified);
        header[156] = (byte) type;
        put(header, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(header, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        octal(header, 329, 8, 0);
        octal(header, 337, 8, 0);
        put(header, 345, 155, prefix.getBytes(StandardCharsets.UTF_8));
        // the checksum is computed with its own field as eight spaces, then written as six digits, NUL, space
        Arrays.fill(header, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        byte[] digits = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
        put(header, 148, 6, digits);
        header[154] = 0;
        header[155] = ' ';
        return header;
    }

    private static void octal(byte[] header, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        if (digits.length() > length - 1) {
            throw new IllegalArgumentException(value + " does not fit a ustar field of " + length + " bytes");
        }
        String padded = "0".repeat(length - 1 - digits.length()) + digits;
        put(header, offset, length - 1, padded.getBytes(StandardCharsets.US_ASCII));
    }

    private static void put(byte[] header, int offset, int length, byte[] value) {
        if (value.length > length) {
            throw new IllegalArgumentException("a ustar field of " + length + " bytes cannot hold " + value.length);
        }
        System.arraycopy(value, 0, header, offset, value.length);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException everyJdkHasIt) {
            throw new IllegalStateException(everyJdkHasIt);
        }
    }

    static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }
}
