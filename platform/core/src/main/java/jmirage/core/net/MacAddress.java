package jmirage.core.net;

import java.util.HexFormat;
import java.util.Locale;
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

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                s.append(':');
            }
            s.append(String.format(Locale.ROOT, "%02x", (value >>> (40 - 8 * i)) & 0xff));
        }
        return s.toString();
    }
}
