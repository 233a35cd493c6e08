package jmirage.dns;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Record type numbers (IANA "Resource Record (RR) TYPEs") and their mnemonics. */
public final class Type {

    public static final int A = 1, NS = 2, CNAME = 5, SOA = 6, PTR = 12, HINFO = 13, MX = 15, TXT = 16,
            AAAA = 28, SRV = 33, NAPTR = 35, DNAME = 39, OPT = 41, DS = 43, SSHFP = 44, RRSIG = 46,
            NSEC = 47, DNSKEY = 48, DHCID = 49, NSEC3 = 50, NSEC3PARAM = 51, TLSA = 52, CDS = 59, CDNSKEY = 60,
            ZONEMD = 63, SVCB = 64, HTTPS = 65, TKEY = 249, TSIG = 250, IXFR = 251, AXFR = 252, ANY = 255,
            CAA = 257, DLV = 32769;

    private static final Map<Integer, String> NAMES = new HashMap<>();
    private static final Map<String, Integer> NUMBERS = new HashMap<>();

    static {
        Object[] table = {A, "A", NS, "NS", CNAME, "CNAME", SOA, "SOA", PTR, "PTR", HINFO, "HINFO", MX, "MX",
            TXT, "TXT", AAAA, "AAAA", SRV, "SRV", NAPTR, "NAPTR", DNAME, "DNAME", OPT, "OPT", DS, "DS",
            SSHFP, "SSHFP", RRSIG, "RRSIG", NSEC, "NSEC", DNSKEY, "DNSKEY", NSEC3, "NSEC3",
            NSEC3PARAM, "NSEC3PARAM", TLSA, "TLSA", CDS, "CDS", CDNSKEY, "CDNSKEY", ZONEMD, "ZONEMD",
            SVCB, "SVCB", HTTPS, "HTTPS", TKEY, "TKEY", TSIG, "TSIG", IXFR, "IXFR", AXFR, "AXFR", ANY, "ANY",
            CAA, "CAA", 3, "MD", 4, "MF", 7, "MB", 8, "MG", 9, "MR", 10, "NULL", 11, "WKS", 14, "MINFO", 17, "RP",
            18, "AFSDB", 19, "X25", 20, "ISDN", 21, "RT", 22, "NSAP", 23, "NSAP-PTR", 24, "SIG", 25, "KEY", 26, "PX",
            27, "GPOS", 29, "LOC", 30, "NXT", 31, "EID", 32, "NIMLOC", 34, "ATMA", 36, "KX", 37, "CERT", 38, "A6",
            40, "SINK", 42, "APL", 45, "IPSECKEY", 49, "DHCID", 53, "SMIMEA", 55, "HIP", 56, "NINFO", 57, "RKEY",
            58, "TALINK", 61, "OPENPGPKEY", 62, "CSYNC", 99, "SPF", 100, "UINFO", 101, "UID", 102, "GID",
            103, "UNSPEC", 104, "NID", 105, "L32", 106, "L64", 107, "LP", 108, "EUI48", 109, "EUI64",
            253, "MAILB", 254, "MAILA", 256, "URI", 258, "AVC", 259, "DOA", 260, "AMTRELAY", 261, "RESINFO",
            32768, "TA", 32769, "DLV"};
        for (int i = 0; i < table.length; i += 2) {
            NAMES.put((Integer) table[i], (String) table[i + 1]);
            NUMBERS.put((String) table[i + 1], (Integer) table[i]);
        }
    }

    private Type() {}

    /** The mnemonic, or RFC 3597's TYPEnnn. */
    public static String name(int type) {
        String n = NAMES.get(type);
        return n != null ? n : "TYPE" + type;
    }

    /** The number for a mnemonic or TYPEnnn, case-insensitive. */
    public static Optional<Integer> parse(String text) {
        String u = text.toUpperCase(java.util.Locale.ROOT);
        Integer n = NUMBERS.get(u);
        if (n != null) {
            return Optional.of(n);
        }
        return parseNumbered(u, "TYPE");
    }

    static Optional<Integer> parseNumbered(String upper, String prefix) {
        if (upper.startsWith(prefix) && upper.length() > prefix.length() && upper.length() <= prefix.length() + 5) {
            int v = 0;
            for (int i = prefix.length(); i < upper.length(); i++) {
                char c = upper.charAt(i);
                if (c < '0' || c > '9') {
                    return Optional.empty();
                }
                v = v * 10 + (c - '0');
            }
            return v <= 0xffff ? Optional.of(v) : Optional.empty();
        }
        return Optional.empty();
    }
}
