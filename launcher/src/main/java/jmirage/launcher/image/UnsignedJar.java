package jmirage.launcher.image;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipInputStream;
import jmirage.core.Result;

/**
 * The copy of a signed jar that an image holds: the same entries, byte for byte and in the same
 * order, without the signature (decision 18). A signed jar costs a unikernel at every boot: the JVM
 * verifies the digest of each class it loads from it, and the AOT cache (JEP 483) refuses its classes,
 * so that all of them are loaded, verified and linked again: Bouncy Castle's 360 classes took about half
 * of caldav's boot. The signature protects nothing at run time (no security manager decides on who
 * signed a class), so it is checked here, at build time, where it means something: a jar whose
 * signature does not verify, or that holds an entry the signature does not cover, is refused.
 * <p>
 * The signature files ({@code META-INF/*.SF}, {@code .DSA}, {@code .RSA}, {@code .EC}) are left out and
 * the manifest keeps its main section only (the per-entry digests are the signature's), plus
 * {@value #ORIGIN} naming the SHA-256 of the signed jar, so that the SBOM names the jar it came from.
 * Entries are copied as they are stored (compressed bytes, times, attributes), so the copy is the same
 * for the same jar on any machine: the manifest, stored uncompressed, is the only entry written anew.
 * Zip64 archives are refused (no signed jar we use is one).
 */
final class UnsignedJar {

    /** The manifest attribute that names the signed jar's SHA-256, in hexadecimal. */
    static final String ORIGIN = "X-Jmirage-Unsigned-From";

    private static final Pattern SIGNATURE = Pattern.compile("META-INF/[^/]+\\.(SF|DSA|RSA|EC)", Pattern.CASE_INSENSITIVE);
    private static final String MANIFEST = JarFile.MANIFEST_NAME;

    private static final int LOCAL = 0x04034b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int END = 0x06054b50;
    private static final int DESCRIPTOR = 0x08074b50;

    private UnsignedJar() {}

    /** Whether {@code name} is one of a jar signature's files. */
    static boolean isSignatureFile(String name) {
        return SIGNATURE.matcher(name).matches();
    }

    /**
     * The bytes the image holds for {@code jar}: empty when it is not signed (the image holds it as it
     * is), else the unsigned copy, once its signature verified.
     */
    static Result<Optional<byte[]>, ImageError> of(Path jar) {
        try {
            byte[] signed = Files.readAllBytes(jar);
            try (JarFile file = new JarFile(jar.toFile(), true)) {
                if (file.stream().noneMatch(e -> isSignatureFile(e.getName()))) {
                    return Result.ok(Optional.empty());
                }
                Optional<String> unsigned = verify(file);
                if (unsigned.isPresent()) {
                    return Result.err(new ImageError.BadSignature(jar.toString(), unsigned.get()));
                }
            } catch (SecurityException e) {
                return Result.err(new ImageError.BadSignature(jar.toString(), e.getMessage()));
            }
            return strip(signed).map(Optional::of)
                    .mapError(reason -> new ImageError.Io("removing the signature of " + jar, reason));
        } catch (IOException e) {
            return Result.err(new ImageError.Io("reading " + jar, e.toString()));
        }
    }

    /**
     * Reads every entry (JarFile checks each digest as it is read, and throws SecurityException on a
     * mismatch) and returns the first that no signer covers, if any: one added after signing.
     */
    private static Optional<String> verify(JarFile file) throws IOException {
        byte[] buffer = new byte[16384];
        for (JarEntry entry : file.stream().toList()) {
            try (InputStream in = file.getInputStream(entry)) {
                while (in.read(buffer) >= 0) {
                    // reading is verifying
                }
            }
            String name = entry.getName();
            if (!entry.isDirectory() && !name.startsWith("META-INF/") && entry.getCodeSigners() == null) {
                return Optional.of(name + " is not covered by the signature");
            }
        }
        return Optional.empty();
    }

    /** The zip without signature files and with the manifest's main section; a reason when it is not a zip this reads. */
    static Result<byte[], String> strip(byte[] zip) {
        ByteBuffer in = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int end = findEnd(in);
        if (end < 0) {
            return Result.err("no end of central directory record");
        }
        int count = Short.toUnsignedInt(in.getShort(end + 10));
        long directorySize = Integer.toUnsignedLong(in.getInt(end + 12));
        long directoryOffset = Integer.toUnsignedLong(in.getInt(end + 16));
        int commentLength = Short.toUnsignedInt(in.getShort(end + 20));
        if (count == 0xffff || directoryOffset == 0xffffffffL || directorySize == 0xffffffffL) {
            return Result.err("a zip64 archive");
        }
        if (in.getShort(end + 4) != 0 || in.getShort(end + 6) != 0 || directoryOffset + directorySize > end) {
            return Result.err("a multi-disk archive, or a central directory out of bounds");
        }
        ByteArrayOutputStream entries = new ByteArrayOutputStream(zip.length);
        ByteArrayOutputStream directory = new ByteArrayOutputStream();
        int kept = 0;
        int at = (int) directoryOffset;
        for (int i = 0; i < count; i++) {
            if (at + 46 > end || in.getInt(at) != CENTRAL) {
                return Result.err("central directory entry " + i + " is damaged");
            }
            int flags = Short.toUnsignedInt(in.getShort(at + 8));
            long compressed = Integer.toUnsignedLong(in.getInt(at + 20));
            int nameLength = Short.toUnsignedInt(in.getShort(at + 28));
            int extraLength = Short.toUnsignedInt(in.getShort(at + 30));
            int entryCommentLength = Short.toUnsignedInt(in.getShort(at + 32));
            long localOffset = Integer.toUnsignedLong(in.getInt(at + 42));
            int recordLength = 46 + nameLength + extraLength + entryCommentLength;
            if (at + recordLength > end || compressed == 0xffffffffL || localOffset == 0xffffffffL) {
                return Result.err("central directory entry " + i + " is damaged or zip64");
            }
            String name = new String(zip, at + 46, nameLength, StandardCharsets.UTF_8);
            int newOffset = entries.size();
            if (isSignatureFile(name)) {
                at += recordLength;
                continue;
            }
            if (name.equals(MANIFEST)) {
                byte[] text = entryText(zip, MANIFEST);
                if (text == null) {
                    return Result.err("the manifest cannot be read");
                }
                writeStoredManifest(in, at, mainSection(text, sha256(zip)), entries, directory, newOffset);
            } else {
                Result<Integer, String> length = localLength(in, localOffset, compressed, flags, end);
                if (length instanceof Result.Err<Integer, String>(String reason)) {
                    return Result.err(name + ": " + reason);
                }
                int localLength = ((Result.Ok<Integer, String>) length).value();
                entries.write(zip, (int) localOffset, localLength);
                byte[] record = new byte[recordLength];
                System.arraycopy(zip, at, record, 0, recordLength);
                ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN).putInt(42, newOffset);
                directory.writeBytes(record);
            }
            kept++;
            at += recordLength;
        }
        ByteBuffer endRecord = ByteBuffer.allocate(22 + commentLength).order(ByteOrder.LITTLE_ENDIAN);
        endRecord.putInt(END).putShort((short) 0).putShort((short) 0).putShort((short) kept).putShort((short) kept)
                .putInt(directory.size()).putInt(entries.size()).putShort((short) commentLength)
                .put(zip, end + 22, commentLength);
        ByteArrayOutputStream out = new ByteArrayOutputStream(entries.size() + directory.size() + endRecord.capacity());
        out.writeBytes(entries.toByteArray());
        out.writeBytes(directory.toByteArray());
        out.writeBytes(endRecord.array());
        return Result.ok(out.toByteArray());
    }

    /** The offset of the end of central directory record: the last signature whose comment length reaches the end. */
    private static int findEnd(ByteBuffer in) {
        int size = in.capacity();
        for (int at = size - 22; at >= Math.max(0, size - 22 - 0xffff); at--) {
            if (in.getInt(at) == END && at + 22 + Short.toUnsignedInt(in.getShort(at + 20)) == size) {
                return at;
            }
        }
        return -1;
    }

    /** The length of a local record: header, name, extra field, data and its descriptor (flag bit 3, APPNOTE 4.3.9). */
    private static Result<Integer, String> localLength(ByteBuffer in, long offset, long compressed, int flags, int limit) {
        if (offset + 30 > limit || in.getInt((int) offset) != LOCAL) {
            return Result.err("no local header where the central directory says");
        }
        long length = 30L + Short.toUnsignedInt(in.getShort((int) offset + 26)) + Short.toUnsignedInt(in.getShort((int) offset + 28))
                + compressed;
        if ((flags & 8) != 0) {
            length += offset + length + 4 <= limit && in.getInt((int) (offset + length)) == DESCRIPTOR ? 16 : 12;
        }
        if (offset + length > limit) {
            return Result.err("the entry runs past the central directory");
        }
        return Result.ok((int) length);
    }

    /** An entry's content, inflated if it is compressed; null when the archive has no such entry. */
    private static byte[] entryText(byte[] zip, String name) {
        try (ZipInputStream stream = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (var entry = stream.getNextEntry(); entry != null; entry = stream.getNextEntry()) {
                if (entry.getName().equals(name)) {
                    return stream.readAllBytes();
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The manifest's main section (up to its first empty line, JAR File Specification "Manifest
     * specification"), then {@value #ORIGIN}, wrapped at 72 bytes a line as the specification asks.
     */
    static byte[] mainSection(byte[] manifest, String originSha256) {
        String text = new String(manifest, StandardCharsets.UTF_8);
        int cut = text.length();
        for (String blank : List.of("\r\n\r\n", "\n\n", "\r\r")) {
            int i = text.indexOf(blank);
            if (i >= 0 && i + blank.length() / 2 < cut) {
                cut = i + blank.length() / 2;
            }
        }
        String main = text.substring(0, cut);
        String newline = main.endsWith("\r\n") ? "\r\n" : main.endsWith("\r") ? "\r" : "\n";
        if (!main.endsWith(newline)) {
            main = main + newline;
        }
        StringBuilder out = new StringBuilder(main);
        String line = ORIGIN + ": " + originSha256;
        out.append(line, 0, Math.min(72, line.length())).append(newline);
        for (int i = 72; i < line.length(); i += 71) {
            out.append(' ').append(line, i, Math.min(i + 71, line.length())).append(newline);
        }
        return out.append(newline).toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The manifest as a stored entry, with the time, date and attributes of the one it replaces. */
    private static void writeStoredManifest(ByteBuffer in, int central, byte[] text, ByteArrayOutputStream entries,
                                            ByteArrayOutputStream directory, int offset) {
        CRC32 crc = new CRC32();
        crc.update(text);
        byte[] name = MANIFEST.getBytes(StandardCharsets.UTF_8);
        short time = in.getShort(central + 12);
        short date = in.getShort(central + 14);
        ByteBuffer local = ByteBuffer.allocate(30 + name.length).order(ByteOrder.LITTLE_ENDIAN);
        local.putInt(LOCAL).putShort((short) 10).putShort((short) 0).putShort((short) 0).putShort(time).putShort(date)
                .putInt((int) crc.getValue()).putInt(text.length).putInt(text.length)
                .putShort((short) name.length).putShort((short) 0).put(name);
        entries.writeBytes(local.array());
        entries.writeBytes(text);
        ByteBuffer record = ByteBuffer.allocate(46 + name.length).order(ByteOrder.LITTLE_ENDIAN);
        record.putInt(CENTRAL).putShort(in.getShort(central + 4)).putShort((short) 10).putShort((short) 0).putShort((short) 0)
                .putShort(time).putShort(date).putInt((int) crc.getValue()).putInt(text.length).putInt(text.length)
                .putShort((short) name.length).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0).putInt(in.getInt(central + 38)).putInt(offset).put(name);
        directory.writeBytes(record.array());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The SHA-256 {@value #ORIGIN} names in a jar's manifest, if it has one. */
    static Optional<String> origin(JarFile file) throws IOException {
        var manifest = file.getManifest();
        return manifest == null ? Optional.empty() : Optional.ofNullable(manifest.getMainAttributes().getValue(ORIGIN));
    }
}
