package jmirage.net.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jmirage.core.Bytes;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The word-at-a-time checksum against RFC 1071's plain loop over 16-bit words. */
class ChecksumPropertiesTest {

    /** RFC 1071 4.1, two bytes at a time, the carries folded at the end: the reference. */
    static long reference(byte[] data, int offset, int length, long initial) {
        long sum = initial;
        int i = offset;
        for (; i + 1 < offset + length; i += 2) {
            sum += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
        }
        if (i < offset + length) {
            sum += (data[i] & 0xff) << 8;
        }
        return sum;
    }

    @Property(tries = 2000)
    void theWordSumFinishesAsTheReferenceOnAnySliceOfAnyArray(@ForAll @Size(max = 3000) byte[] data,
            @ForAll @IntRange(max = 3000) int from, @ForAll @IntRange(max = 3000) int to,
            @ForAll @LongRange(max = 0xff_ffffL) long initial) {
        int start = Math.min(from, data.length);
        int length = Math.min(to, data.length - start);
        int expected = Checksum.finish(reference(data, start, length, initial));
        assertEquals(expected, Checksum.finish(Checksum.sum(data, start, length, initial)));
        assertEquals(expected, Checksum.finish(Checksum.sum(Bytes.of(data), start, length, initial)));
    }

    @Property(tries = 500)
    void sumsChainAsTheReferenceDoesWhenSplitAtAnEvenOffset(@ForAll @Size(max = 3000) byte[] data,
            @ForAll @IntRange(max = 1500) int half) {
        int split = Math.min(2 * half, data.length);
        long chained = Checksum.sum(data, split, data.length - split, Checksum.sum(Bytes.of(data), 0, split, 0));
        assertEquals(Checksum.finish(reference(data, 0, data.length, 0)), Checksum.finish(chained));
    }

    /** The ones' complement zeros: all-zero data sums to +0 (checksum 0xffff), all-ones to -0 (checksum 0). */
    @Property(tries = 200)
    void zerosAndOnesFinishAsTheReference(@ForAll @IntRange(max = 2000) int length, @ForAll boolean ones) {
        byte[] data = new byte[length];
        if (ones) {
            java.util.Arrays.fill(data, (byte) 0xff);
        }
        assertEquals(Checksum.finish(reference(data, 0, length, 0)), Checksum.finish(Checksum.sum(data, 0, length, 0)));
    }

    @Test
    void rfc1071Example() {
        // RFC 1071 3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2 (checksum 220d)
        byte[] data = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertEquals(0x220d, Checksum.of(data, 0, data.length));
        assertEquals(0x220d, Checksum.finish(Checksum.sum(Bytes.of(data), 0, data.length, 0)));
    }
}
