package jmirage.authoritative.update;

/** SOA serial numbers: 32-bit sequence space arithmetic (RFC 1982). */
public final class Serial {

    private static final long MOD = 1L << 32;
    private static final long HALF = 1L << 31;

    private Serial() {}

    /** RFC 1982 3.2: {@code a > b} when the distance from b forward to a is below 2^31. */
    public static boolean greater(long a, long b) {
        long d = Math.floorMod(a - b, MOD);
        return d != 0 && d < HALF;
    }

    /** RFC 1982 3.1 and RFC 2136 3.6: the next serial, wrapping to 0 after 2^32 - 1. */
    public static long next(long serial) {
        return Math.floorMod(serial + 1, MOD);
    }
}
