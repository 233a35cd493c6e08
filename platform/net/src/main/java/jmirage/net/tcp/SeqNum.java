package jmirage.net.tcp;

/**
 * A TCP sequence number: 32 bits that wrap (RFC 9293 3.4). Comparison is modular, valid for numbers
 * less than 2^31 apart, so {@code 0xffffffff < 0x00000001}. There is deliberately no compareTo:
 * modular order is not a total order.
 */
public record SeqNum(int value) {

    public static SeqNum of(long value) {
        return new SeqNum((int) value);
    }

    public SeqNum plus(int n) {
        return new SeqNum(value + n);
    }

    /** {@code this - other} as a signed distance. */
    public int minus(SeqNum other) {
        return value - other.value;
    }

    public boolean lt(SeqNum o) {
        return value - o.value < 0;
    }

    public boolean leq(SeqNum o) {
        return value - o.value <= 0;
    }

    public boolean gt(SeqNum o) {
        return value - o.value > 0;
    }

    public boolean geq(SeqNum o) {
        return value - o.value >= 0;
    }

    public static SeqNum max(SeqNum a, SeqNum b) {
        return a.geq(b) ? a : b;
    }

    /** Whether {@code low <= this < high}, modularly. */
    public boolean inWindow(SeqNum low, SeqNum high) {
        return geq(low) && lt(high);
    }

    public long unsigned() {
        return value & 0xffffffffL;
    }

    @Override
    public String toString() {
        return Long.toString(unsigned());
    }
}
