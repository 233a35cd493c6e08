package jmirage.kv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.kv.EntryKind;

/**
 * The content hashes of {@link jmirage.core.kv.Kv#digest}, shared by every backend so that equal
 * content gives an equal digest whatever stores it.
 */
public final class Digests {

    /** One child of a dictionary, as its digest covers it. */
    public record Child(String name, EntryKind kind, Bytes digest) {}

    private Digests() {}

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public static Bytes ofValue(Bytes value) {
        MessageDigest md = sha256();
        md.update(value.asReadOnlyBuffer());
        return Bytes.adopt(md.digest());
    }

    /**
     * SHA-256 over the children sorted by name, each as: name length (4 bytes, big-endian), name in
     * UTF-8, kind (0 value, 1 dictionary), the child's 32-byte digest. Lengths make it unambiguous.
     */
    public static Bytes ofDictionary(List<Child> children) {
        MessageDigest md = sha256();
        for (Child c : children.stream().sorted(Comparator.comparing(Child::name)).toList()) {
            byte[] name = c.name().getBytes(StandardCharsets.UTF_8);
            md.update(ByteBuffer.allocate(4).putInt(name.length).array());
            md.update(name);
            md.update((byte) (c.kind() == EntryKind.VALUE ? 0 : 1));
            md.update(c.digest().asReadOnlyBuffer());
        }
        return Bytes.adopt(md.digest());
    }
}
