package jmirage.testkit;

/** Where bytes stand in other bytes: a secret in what a peer received, a value in a disk image. */
public final class ByteSearch {

    private ByteSearch() {}

    /** The first index at which {@code needle} stands in {@code haystack}, or -1 when it does not. */
    public static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
