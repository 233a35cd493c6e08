package jmirage.net.nat;

import jmirage.net.wire.Checksum;
import jmirage.net.wire.Wire;

/**
 * Field rewrites in a datagram's bytes that keep its checksums right without summing the data again
 * (RFC 1624 eqn. 3, through {@link Checksum#adjust}). A checksum offset of -1 means no checksum
 * covers the field (or it lies beyond the bytes at hand, as in a truncated quoted datagram).
 */
final class Rewrite {

    /** How a checksum treats zero. */
    enum Sum {
        /** IPv4 header, TCP, ICMP: zero is a value like any other. */
        ALWAYS,
        /** UDP over IPv4: zero means "no checksum" and stays so; a computed zero is sent as 0xffff (RFC 768). */
        UDP
    }

    private Rewrite() {}

    /** Sets the 16-bit word at {@code at} to {@code value}, adjusting the checksum at {@code checksumAt}. */
    static void word(byte[] b, int at, int value, int checksumAt, Sum sum) {
        int old = Wire.u16(b, at);
        Wire.putU16(b, at, value);
        if (usable(b, checksumAt, sum)) {
            put(b, checksumAt, sum, Checksum.adjust(Wire.u16(b, checksumAt), old, value & 0xffff));
        }
    }

    /**
     * Sets the IPv4 address at {@code at} to {@code value}, adjusting the header checksum at
     * {@code headerChecksumAt} and the transport checksum at {@code transportChecksumAt} (the
     * pseudo-header of TCP and UDP holds the addresses, RFC 793 3.1, RFC 768).
     */
    static void address(byte[] b, int at, int value, int headerChecksumAt, int transportChecksumAt, Sum transport) {
        int old = Wire.i32(b, at);
        Wire.putU32(b, at, value & 0xffffffffL);
        put(b, headerChecksumAt, Sum.ALWAYS, Checksum.adjust32(Wire.u16(b, headerChecksumAt), old, value));
        if (usable(b, transportChecksumAt, transport)) {
            put(b, transportChecksumAt, transport, Checksum.adjust32(Wire.u16(b, transportChecksumAt), old, value));
        }
    }

    private static boolean usable(byte[] b, int checksumAt, Sum sum) {
        return checksumAt >= 0 && !(sum == Sum.UDP && Wire.u16(b, checksumAt) == 0);
    }

    private static void put(byte[] b, int at, Sum sum, int checksum) {
        Wire.putU16(b, at, sum == Sum.UDP && checksum == 0 ? 0xffff : checksum);
    }
}
