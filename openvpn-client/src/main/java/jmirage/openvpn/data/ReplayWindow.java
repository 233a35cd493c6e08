package jmirage.openvpn.data;

/**
 * A sliding replay window over packet ids (packet_id.c packet_id_test/packet_id_add, after RFC 4303
 * 3.4.3): ids start at 1; an id above the highest seen moves the window; an id within the last
 * {@link #SIZE} below it is accepted once; older ones are refused. OpenVPN's default --replay-window
 * is 64 packets, which fits one {@code long} as a bitmap (bit i: highest - i was seen).
 */
public record ReplayWindow(long highest, long seen) {

    public static final int SIZE = 64;
    public static final ReplayWindow EMPTY = new ReplayWindow(0, 0);

    public enum Verdict { FRESH, REPLAYED, TOO_OLD, ZERO }

    public Verdict check(long id) {
        if (id <= 0) {
            return Verdict.ZERO;
        }
        if (id > highest) {
            return Verdict.FRESH;
        }
        long age = highest - id;
        if (age >= SIZE) {
            return Verdict.TOO_OLD;
        }
        return (seen >>> age & 1) != 0 ? Verdict.REPLAYED : Verdict.FRESH;
    }

    /** The window with {@code id} seen; call only after {@link #check} said FRESH. */
    public ReplayWindow accept(long id) {
        if (check(id) != Verdict.FRESH) {
            throw new IllegalArgumentException("packet id " + id + " is not fresh: " + check(id));
        }
        if (id > highest) {
            long shift = id - highest;
            long moved = shift >= SIZE ? 0 : seen << shift;
            return new ReplayWindow(id, moved | 1);
        }
        return new ReplayWindow(highest, seen | 1L << (highest - id));
    }
}
