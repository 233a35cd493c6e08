package jmirage.net.wire;

import java.net.InetAddress;
import jmirage.core.Bytes;

/** The Internet checksum (RFC 1071): ones' complement of the ones' complement sum of 16-bit words. */
public final class Checksum {

    private Checksum() {}

    /** The 32-bit running sum of {@code length} bytes of {@code data} from {@code offset}, to fold later. */
    public static long sum(byte[] data, int offset, int length, long initial) {
        long sum = initial;
        int i = offset;
        int end = offset + length;
        for (; i + 1 < end; i += 2) {
            sum += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (data[i] & 0xff) << 8;
        }
        return sum;
    }

    public static long sum(Bytes data, int offset, int length, long initial) {
        long sum = initial;
        int i = offset;
        int end = offset + length;
        for (; i + 1 < end; i += 2) {
            sum += (data.getUnsigned(i) << 8) | data.getUnsigned(i + 1);
        }
        if (i < end) {
            sum += data.getUnsigned(i) << 8;
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
