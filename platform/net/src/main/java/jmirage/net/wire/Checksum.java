package jmirage.net.wire;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import jmirage.core.Bytes;

/** The Internet checksum (RFC 1071): ones' complement of the ones' complement sum of 16-bit words. */
public final class Checksum {

    private Checksum() {}

    /**
     * The running sum of {@code length} bytes of {@code data} from {@code offset}, to {@link #finish}
     * later; {@code data[offset]} is the high byte of the first 16-bit word.
     *
     * <p>RFC 1071 2(B), "deferred carries" and "parallel summation": the bytes are read as
     * big-endian 64-bit words, and each word's two 32-bit halves are added to a 64-bit sum. A sum of
     * 32-bit words folds to the same 16-bit ones' complement sum as the sum of the 16-bit words they
     * hold (2^16 = 1 modulo 2^16 - 1), and the 64-bit sum cannot overflow below 2^30 words. The
     * result is not the sum of 16-bit words, only congruent to it modulo 2^16 - 1 and zero exactly
     * when that is, so only {@link #finish} may read it; it may be passed on as {@code initial}.
     */
    public static long sum(byte[] data, int offset, int length, long initial) {
        ByteBuffer words = ByteBuffer.wrap(data); // big-endian; its getLong is an intrinsic, no copy
        long sum = initial;
        int i = offset;
        int end = offset + length;
        for (; i + 8 <= end; i += 8) {
            long word = words.getLong(i);
            sum += (word >>> 32) + (word & 0xffff_ffffL);
        }
        return tail(sum, data, i, end);
    }

    /** {@link #sum(byte[], int, int, long)} of bytes held in {@link Bytes}, read in place (no copy). */
    public static long sum(Bytes data, int offset, int length, long initial) {
        ByteBuffer buffer = data.asReadOnlyBuffer(); // big-endian, over the same array
        long sum = initial;
        int i = offset;
        int end = offset + length;
        for (; i + 8 <= end; i += 8) {
            long word = buffer.getLong(i);
            sum += (word >>> 32) + (word & 0xffff_ffffL);
        }
        for (; i + 1 < end; i += 2) {
            sum += buffer.getShort(i) & 0xffff;
        }
        if (i < end) {
            sum += (buffer.get(i) & 0xff) << 8;
        }
        return sum;
    }

    /** The last fewer than 8 bytes: 16-bit words, then an odd byte padded with zero (RFC 1071 2(A)). */
    private static long tail(long sum, byte[] data, int i, int end) {
        for (; i + 1 < end; i += 2) {
            sum += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (data[i] & 0xff) << 8;
        }
        return sum;
    }

    /** Folds a running sum to 16 bits and complements it. */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    public static int of(byte[] data, int offset, int length) {
        return finish(sum(data, offset, length, 0));
    }

    /**
     * The checksum after one 16-bit word of the data it covers changed from {@code oldWord} to
     * {@code newWord}, without reading the data again: RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'),
     * which (unlike RFC 1141's eqn. 2) stays right when the sum passes through -0.
     */
    public static int adjust(int checksum, int oldWord, int newWord) {
        return finish((~checksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff));
    }

    /** {@link #adjust} for a 32-bit field (an IPv4 address): its two words in turn. */
    public static int adjust32(int checksum, int oldValue, int newValue) {
        return adjust(adjust(checksum, oldValue >>> 16, newValue >>> 16), oldValue & 0xffff, newValue & 0xffff);
    }

    /**
     * The sum of the pseudo-header of TCP and UDP: RFC 793 3.1 / RFC 768 for IPv4 (source,
     * destination, zero, protocol, length); the same shape with 16-byte addresses serves IPv6 (RFC 8200 8.1).
     */
    public static long pseudoHeader(InetAddress source, InetAddress destination, int protocol, int length) {
        byte[] s = source.getAddress();
        byte[] d = destination.getAddress();
        long sum = sum(s, 0, s.length, 0);
        sum = sum(d, 0, d.length, sum);
        return sum + protocol + (length & 0xffff) + (length >>> 16);
    }
}
