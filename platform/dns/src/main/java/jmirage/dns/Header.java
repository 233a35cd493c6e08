package jmirage.dns;

/**
 * The message header (RFC 1035 4.1.1) with the AD and CD bits (RFC 4035 3.2). {@code rcode} is the
 * full 12-bit code; values above 15 need EDNS (RFC 6891 6.1.3).
 */
public record Header(int id, boolean qr, int opcode, boolean aa, boolean tc, boolean rd, boolean ra, boolean z,
        boolean ad, boolean cd, int rcode) {

    public static final int NOERROR = 0, FORMERR = 1, SERVFAIL = 2, NXDOMAIN = 3, NOTIMP = 4, REFUSED = 5,
            NOTAUTH = 9, NOTZONE = 10, BADVERS = 16, BADSIG = 16, BADKEY = 17, BADTIME = 18, BADTRUNC = 22,
            BADCOOKIE = 23;
    public static final int QUERY = 0, NOTIFY = 4, UPDATE = 5;

    public Header {
        Rdata.Check.u16(id);
        if (opcode < 0 || opcode > 15) throw new IllegalArgumentException("opcode is 4 bits");
        if (rcode < 0 || rcode > 0xfff) throw new IllegalArgumentException("rcode is 12 bits");
    }

    /** A recursive query header. */
    public static Header query(int id) {
        return new Header(id, false, QUERY, false, false, true, false, false, false, false, NOERROR);
    }

    public Header withId(int newId) {
        return new Header(newId, qr, opcode, aa, tc, rd, ra, z, ad, cd, rcode);
    }

    public Header withTc(boolean truncated) {
        return new Header(id, qr, opcode, aa, truncated, rd, ra, z, ad, cd, rcode);
    }

    int flagsWord() {
        return (qr ? 0x8000 : 0) | opcode << 11 | (aa ? 0x400 : 0) | (tc ? 0x200 : 0) | (rd ? 0x100 : 0)
                | (ra ? 0x80 : 0) | (z ? 0x40 : 0) | (ad ? 0x20 : 0) | (cd ? 0x10 : 0) | (rcode & 0xf);
    }

    static Header fromWords(int id, int f, int rcodeHigh) {
        return new Header(id, (f & 0x8000) != 0, (f >>> 11) & 0xf, (f & 0x400) != 0, (f & 0x200) != 0,
                (f & 0x100) != 0, (f & 0x80) != 0, (f & 0x40) != 0, (f & 0x20) != 0, (f & 0x10) != 0,
                rcodeHigh << 4 | (f & 0xf));
    }
}
