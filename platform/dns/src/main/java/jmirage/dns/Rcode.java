package jmirage.dns;

/**
 * A DNS response code: the 4 bits of the header (RFC 1035 4.1.1) extended to 12 by EDNS (RFC 6891
 * 6.1.3), or the 16-bit error field of a TSIG record (RFC 8945 4.2). The codes a server of this
 * project sends are constants; any other value read from the wire is kept as it is.
 */
public record Rcode(int value) {

    public Rcode {
        if (value < 0 || value > 0xffff) {
            throw new IllegalArgumentException("rcode out of 0..65535: " + value);
        }
    }

    /** RFC 1035 4.1.1. */
    public static final Rcode NOERROR = new Rcode(0), FORMERR = new Rcode(1), SERVFAIL = new Rcode(2),
            NXDOMAIN = new Rcode(3), NOTIMP = new Rcode(4), REFUSED = new Rcode(5);
    /** RFC 2136 2.2 (YXDOMAIN also RFC 6672 2.2), RFC 8945 (NOTAUTH for TSIG failures). */
    public static final Rcode YXDOMAIN = new Rcode(6), YXRRSET = new Rcode(7), NXRRSET = new Rcode(8),
            NOTAUTH = new Rcode(9), NOTZONE = new Rcode(10);
    /** RFC 6891 6.1.3: in the header (extended by OPT). */
    public static final Rcode BADVERS = new Rcode(16);
    /** RFC 8945 4.2: in the TSIG record's error field (16 there is BADSIG, not BADVERS). */
    public static final Rcode BADSIG = new Rcode(16), BADKEY = new Rcode(17), BADTIME = new Rcode(18),
            BADTRUNC = new Rcode(22);
    /** RFC 7873 8. */
    public static final Rcode BADCOOKIE = new Rcode(23);

    /** The code as read from a header (12 bits) or a TSIG error field. */
    public static Rcode of(int value) {
        return new Rcode(value);
    }

    /** Whether the code fits the header without EDNS (RFC 6891 6.1.3: above 15 needs an OPT record). */
    public boolean needsEdns() {
        return value > 15;
    }

    /** The mnemonic of RFC 6895 2.3 (16 is given as BADVERS, its header meaning), or the number. */
    public String describe() {
        return switch (value) {
            case 0 -> "NOERROR";
            case 1 -> "FORMERR";
            case 2 -> "SERVFAIL";
            case 3 -> "NXDOMAIN";
            case 4 -> "NOTIMP";
            case 5 -> "REFUSED";
            case 6 -> "YXDOMAIN";
            case 7 -> "YXRRSET";
            case 8 -> "NXRRSET";
            case 9 -> "NOTAUTH";
            case 10 -> "NOTZONE";
            case 16 -> "BADVERS";
            case 17 -> "BADKEY";
            case 18 -> "BADTIME";
            case 22 -> "BADTRUNC";
            case 23 -> "BADCOOKIE";
            default -> "RCODE" + value;
        };
    }

    @Override
    public String toString() {
        return describe();
    }
}
