package jmirage.core.net;

import java.util.HexFormat;
import jmirage.core.Result;

/** A 48-bit Ethernet address. */
public record MacAddress(long value) {

    public MacAddress {
        if ((value >>> 48) != 0) {
            throw new IllegalArgumentException("not a 48-bit address: " + Long.toHexString(value));
        }
    }

    /** Parses {@code 02:00:00:00:00:01} (colons or dashes). */
    public static Result<MacAddress, AddressError> parse(String text) {
        String[] parts = text.split("[:-]", -1);
        if (parts.length != 6) {
            return Result.err(new AddressError.NotAMacAddress(text));
        }
        long v = 0;
        for (String p : parts) {
            if (p.length() != 2 || !HexFormat.isHexDigit(p.charAt(0)) || !HexFormat.isHexDigit(p.charAt(1))) {
                return Result.err(new AddressError.NotAMacAddress(text));
            }
            v = (v << 8) | Integer.parseInt(p, 16);
        }
        return Result.ok(new MacAddress(v));
    }

    public byte[] toBytes() {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (value >>> (40 - 8 * i));
        }
        return b;
    }

    /** {@code 02:00:00:00:00:01}, lower case: how leases and logs write it, at thousands a second. */
    @Override
    public String toString() {
        return TEXT.formatHex(toBytes());
    }

    private static final HexFormat TEXT = HexFormat.ofDelimiter(":");
}
