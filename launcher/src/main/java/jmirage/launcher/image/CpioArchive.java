package jmirage.launcher.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A cpio archive in the "newc" format (the one the Linux kernel unpacks as an initramfs), written
 * reproducibly: entries sorted by path (a folder before what it holds), inode numbers given in that
 * order, owner root, and every time stamp given by the caller rather than read from the clock.
 */
public final class CpioArchive {

    /** One entry; paths are relative ({@code bin/sh}), without a leading slash. */
    public sealed interface Entry {
        String path();

        long mtime();

        record Directory(String path, int permissions, long mtime) implements Entry {}

        record File(String path, int permissions, long mtime, byte[] content) implements Entry {
            public File {
                content = content.clone();
            }
        }

        record Symlink(String path, String target, long mtime) implements Entry {}

        record CharDevice(String path, int permissions, int major, int minor, long mtime) implements Entry {}
    }

    private final TreeMap<String, Entry> entries = new TreeMap<>(Comparator.naturalOrder());

    /** Adds an entry; a second entry at the same path must be the same, so that the order of adding cannot matter. */
    public void add(Entry entry) {
        String path = entry.path();
        if (path.isEmpty() || path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("not a relative path: '" + path + "'");
        }
        Entry before = entries.putIfAbsent(path, entry);
        if (before != null && !sameEntry(before, entry)) {
            throw new IllegalArgumentException("two different entries at " + path + ": " + before + " and " + entry);
        }
    }

    private static boolean sameEntry(Entry a, Entry b) {
        return switch (a) {
            case Entry.File(String p, int perm, long t, byte[] content) -> b instanceof Entry.File(String q, int perm2, long t2, byte[] content2)
                    && p.equals(q) && perm == perm2 && t == t2 && java.util.Arrays.equals(content, content2);
            default -> a.equals(b);
        };
    }

    /** The entry at {@code path}, if one was added. */
    Optional<Entry> entry(String path) {
        return Optional.ofNullable(entries.get(path));
    }

    /** The paths, in the order they are written. */
    public List<String> paths() {
        return new ArrayList<>(entries.keySet());
    }

    /**
     * Writes the archive. A parent folder must have been added before its contents are unpacked, so
     * each missing parent is refused here rather than left for the kernel to skip.
     */
    public void writeTo(OutputStream out) throws IOException {
        for (String path : entries.keySet()) {
            int slash = path.lastIndexOf('/');
            if (slash > 0 && !(entries.get(path.substring(0, slash)) instanceof Entry.Directory)) {
                throw new IllegalStateException(path + ": its folder " + path.substring(0, slash) + " is not in the archive");
            }
        }
        int inode = 1;
        for (Entry entry : entries.values()) {
            switch (entry) {
                case Entry.Directory(String path, int permissions, long mtime) ->
                        header(out, inode, 0040000 | permissions, 2, mtime, 0, 0, 0, path, new byte[0]);
                case Entry.File(String path, int permissions, long mtime, byte[] content) ->
                        header(out, inode, 0100000 | permissions, 1, mtime, 0, 0, 0, path, content);
                case Entry.Symlink(String path, String target, long mtime) ->
                        header(out, inode, 0120777, 1, mtime, 0, 0, 0, path, target.getBytes(StandardCharsets.UTF_8));
                case Entry.CharDevice(String path, int permissions, int major, int minor, long mtime) ->
                        header(out, inode, 0020000 | permissions, 1, mtime, 0, major, minor, path, new byte[0]);
            }
            inode++;
        }
        header(out, 0, 0, 1, 0, 0, 0, 0, "TRAILER!!!", new byte[0]);
        out.flush();
    }

    // newc: "070701", then 13 fields of 8 hex digits, the name with its NUL padded to 4 bytes, the data padded to 4.
    private static void header(OutputStream out, int inode, int mode, int nlink, long mtime, int devMajor,
                               int rdevMajor, int rdevMinor, String name, byte[] data) throws IOException {
        Objects.checkIndex(mtime, 1L << 32);
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream head = new ByteArrayOutputStream(110 + nameBytes.length + 4);
        String fields = "070701" + hex(inode) + hex(mode) + hex(0) + hex(0) + hex(nlink) + hex(mtime)
                + hex(data.length) + hex(devMajor) + hex(0) + hex(rdevMajor) + hex(rdevMinor)
                + hex(nameBytes.length + 1) + hex(0);
        head.writeBytes(fields.getBytes(StandardCharsets.US_ASCII));
        head.writeBytes(nameBytes);
        head.write(0);
        pad(head, head.size());
        out.write(head.toByteArray());
        out.write(data);
        pad(out, data.length);
    }

    private static String hex(long value) {
        return String.format("%08x", value);
    }

    private static void pad(OutputStream out, int length) throws IOException {
        for (int i = length; i % 4 != 0; i++) {
            out.write(0);
        }
    }
}
