package jmirage.dns;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;

/** The presentation (master-file) form of {@link Rdata}: RFC 1035 5.1 and each type's RFC. */
public final class RdataText {

    private RdataText() {}

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT);

    // ------------------------------------------------------------------ printing

    public static String print(Rdata rdata) {
        return switch (rdata) {
            case Rdata.A a -> a.address().getHostAddress();
            case Rdata.Aaaa a -> ipv6(a.address().getAddress());
            case Rdata.Ns r -> r.host().toString();
            case Rdata.Cname r -> r.target().toString();
            case Rdata.Dname r -> r.target().toString();
            case Rdata.Ptr r -> r.target().toString();
            case Rdata.Soa s -> s.mname() + " " + s.rname() + " " + s.serial() + " " + s.refresh() + " " + s.retry()
                    + " " + s.expire() + " " + s.minimum();
            case Rdata.Mx m -> m.preference() + " " + m.exchange();
            case Rdata.Txt t -> String.join(" ", t.strings().stream().map(RdataText::quoted).toList());
            case Rdata.Srv s -> s.priority() + " " + s.weight() + " " + s.port() + " " + s.target();
            case Rdata.Naptr n -> n.order() + " " + n.preference() + " " + quoted(n.flags()) + " "
                    + quoted(n.services()) + " " + quoted(n.regexp()) + " " + n.replacement();
            case Rdata.Caa c -> c.flags() + " " + c.tag() + " " + quoted(c.value());
            case Rdata.Tlsa t -> t.usage() + " " + t.selector() + " " + t.matchingType() + " " + hexOrDash(t.data());
            case Rdata.Sshfp s -> s.algorithm() + " " + s.fingerprintType() + " " + hexOrDash(s.fingerprint());
            case Rdata.Svcb s -> {
                StringBuilder sb = new StringBuilder().append(s.priority()).append(' ').append(s.target());
                for (Rdata.SvcParam p : s.params()) {
                    sb.append(' ').append(svcParam(p));
                }
                yield sb.toString();
            }
            case Rdata.Ds d -> d.keyTag() + " " + d.algorithm() + " " + d.digestType() + " " + hexOrDash(d.digest());
            case Rdata.Cds d -> d.keyTag() + " " + d.algorithm() + " " + d.digestType() + " " + hexOrDash(d.digest());
            case Rdata.Dnskey k -> k.flags() + " " + k.protocol() + " " + k.algorithm() + " " + base64(k.publicKey());
            case Rdata.Cdnskey k -> k.flags() + " " + k.protocol() + " " + k.algorithm() + " " + base64(k.publicKey());
            case Rdata.Rrsig r -> Type.name(r.typeCovered()) + " " + r.algorithm() + " " + r.labels() + " "
                    + r.originalTtl() + " " + stamp(r.expiration()) + " " + stamp(r.inception()) + " " + r.keyTag()
                    + " " + r.signer() + " " + base64(r.signature());
            case Rdata.Nsec n -> n.next() + types(n.types());
            case Rdata.Nsec3 n -> n.hashAlgorithm() + " " + n.flags() + " " + n.iterations() + " " + salt(n.salt())
                    + " " + Base32Hex.encode(n.nextHashedOwner()).toUpperCase(Locale.ROOT) + types(n.types());
            case Rdata.Nsec3param n -> n.hashAlgorithm() + " " + n.flags() + " " + n.iterations() + " " + salt(n.salt());
            case Rdata.Tsig t -> generic(RdataCodec.toWire(t, false));
            case Rdata.Opaque o -> generic(o.data());
            case Rdata.Empty e -> generic(Bytes.EMPTY);
        };
    }

    /** RFC 9460 2.1: the mnemonic form where the value is well formed, else keyNNNNN="value". */
    static String svcParam(Rdata.SvcParam p) {
        Bytes v = p.value();
        int n = v.size();
        switch (p.key()) {
            case 0 -> {
                if (n > 0 && n % 2 == 0) {
                    StringBuilder sb = new StringBuilder("mandatory=");
                    for (int i = 0; i < n; i += 2) {
                        int k = v.getUnsigned(i) << 8 | v.getUnsigned(i + 1);
                        sb.append(i == 0 ? "" : ",").append(k < 7 ? SVC_KEYS.get(k) : "key" + k);
                    }
                    return sb.toString();
                }
            }
            case 1 -> {
                StringBuilder sb = new StringBuilder("alpn=");
                int i = 0;
                boolean ok = n > 0;
                while (ok && i < n) {
                    int len = v.getUnsigned(i);
                    ok = len > 0 && i + 1 + len <= n;
                    for (int k = i + 1; ok && k <= i + len; k++) {
                        int ch = v.getUnsigned(k);
                        ok = ch > 0x20 && ch < 0x7f && ch != ',' && ch != '\\' && ch != '"' && ch != ';'
                                && ch != '(' && ch != ')';
                    }
                    if (ok) {
                        sb.append(i == 0 ? "" : ",").append(new String(v.slice(i + 1, i + 1 + len).toArray(),
                                java.nio.charset.StandardCharsets.US_ASCII));
                    }
                    i += 1 + len;
                }
                if (ok) {
                    return sb.toString();
                }
            }
            case 2 -> {
                if (n == 0) {
                    return "no-default-alpn";
                }
            }
            case 3 -> {
                if (n == 2) {
                    return "port=" + (v.getUnsigned(0) << 8 | v.getUnsigned(1));
                }
            }
            case 4 -> {
                if (n > 0 && n % 4 == 0) {
                    StringBuilder sb = new StringBuilder("ipv4hint=");
                    for (int i = 0; i < n; i += 4) {
                        sb.append(i == 0 ? "" : ",").append(v.getUnsigned(i)).append('.').append(v.getUnsigned(i + 1))
                                .append('.').append(v.getUnsigned(i + 2)).append('.').append(v.getUnsigned(i + 3));
                    }
                    return sb.toString();
                }
            }
            case 5 -> {
                if (n > 0) {
                    return "ech=" + base64(v);
                }
            }
            case 6 -> {
                if (n > 0 && n % 16 == 0) {
                    StringBuilder sb = new StringBuilder("ipv6hint=");
                    for (int i = 0; i < n; i += 16) {
                        sb.append(i == 0 ? "" : ",").append(ipv6(v.slice(i, i + 16).toArray()));
                    }
                    return sb.toString();
                }
            }
            default -> { }
        }
        return "key" + p.key() + "=" + quoted(v);
    }

    /** RFC 3597 5: {@code \# length hex}. */
    public static String generic(Bytes data) {
        return data.isEmpty() ? "\\# 0" : "\\# " + data.size() + " " + HEX.formatHex(data.toArray());
    }

    private static String hexOrDash(Bytes b) {
        return b.isEmpty() ? "-" : HEX.formatHex(b.toArray());
    }

    private static String salt(Bytes b) {
        return b.isEmpty() ? "-" : HEX.formatHex(b.toArray());
    }

    private static String base64(Bytes b) {
        return b.isEmpty() ? "-" : Base64.getEncoder().encodeToString(b.toArray());
    }

    private static String types(List<Integer> types) {
        StringBuilder sb = new StringBuilder();
        for (int t : types) {
            sb.append(' ').append(Type.name(t));
        }
        return sb.toString();
    }

    static String stamp(long seconds) {
        return LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC).format(STAMP);
    }

    /** A character-string in quotes with RFC 1035 5.1 escapes. */
    public static String quoted(Bytes s) {
        StringBuilder sb = new StringBuilder(s.size() + 2).append('"');
        for (int i = 0; i < s.size(); i++) {
            int v = s.getUnsigned(i);
            if (v < 0x20 || v >= 0x7f) {
                sb.append('\\').append((char) ('0' + v / 100)).append((char) ('0' + v / 10 % 10))
                        .append((char) ('0' + v % 10));
            } else if (v == '"' || v == '\\') {
                sb.append('\\').append((char) v);
            } else {
                sb.append((char) v);
            }
        }
        return sb.append('"').toString();
    }

    /** RFC 5952 text form of an IPv6 address (longest run of zero groups shortened, lower case). */
    static String ipv6(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (a[2 * i] & 0xff) << 8 | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ parsing

    /** Parses the rdata tokens of a record of {@code type}; relative names are made absolute with {@code origin}. */
    public static Result<Rdata, RdataTextError> parse(int type, List<Token> tokens, Name origin) {
        try {
            if (!tokens.isEmpty() && !tokens.get(0).quoted() && tokens.get(0).text().equals("\\#")) {
                return parseGeneric(type, tokens);
            }
            Cursor c = new Cursor(type, tokens, origin);
            Rdata r = parseTyped(type, c);
            if (c.i != tokens.size()) {
                return Result.err(new RdataTextError.UnexpectedToken(type, tokens.get(c.i).text()));
            }
            int length = RdataCodec.toWire(r, false).size();
            if (length > 0xffff) {
                return Result.err(new RdataTextError.RdataTooLong(type, length));
            }
            return Result.ok(r);
        } catch (Bad b) {
            return Result.err(b.error);
        }
    }

    private static Result<Rdata, RdataTextError> parseGeneric(int type, List<Token> tokens) {
        if (tokens.size() < 2) {
            return Result.err(new RdataTextError.GenericWithoutLength());
        }
        long len = number(tokens.get(1).text(), 0xffff);
        StringBuilder hex = new StringBuilder();
        for (int i = 2; i < tokens.size(); i++) {
            hex.append(tokens.get(i).text());
        }
        Bytes data = hexBytes(hex.toString());
        if (data.size() != len) {
            return Result.err(new RdataTextError.GenericLengthMismatch(len, data.size()));
        }
        if (type == Type.OPT) {
            return Result.err(new RdataTextError.NoPresentationForm(type));
        }
        if (!RdataCodec.isKnown(type)) {
            return Result.ok(new Rdata.Opaque(type, data));
        }
        return RdataCodec.fromWire(type, data).mapError(e -> new RdataTextError.GenericNotWire(type, e));
    }

    /** Carries an error out of the nested field parsers to {@link #parse}; no stack trace. */
    private static final class Bad extends RuntimeException {
        final RdataTextError error;

        Bad(RdataTextError error) {
            super(null, null, false, false);
            this.error = error;
        }
    }

    private static final class Cursor {
        final int type;
        final List<Token> tokens;
        final Name origin;
        int i;

        Cursor(int type, List<Token> tokens, Name origin) {
            this.type = type;
            this.tokens = tokens;
            this.origin = origin;
        }

        Token next() {
            if (i >= tokens.size()) {
                throw new Bad(new RdataTextError.MissingField(type));
            }
            return tokens.get(i++);
        }

        boolean more() {
            return i < tokens.size();
        }

        String word() {
            return next().text();
        }

        String rest() {
            StringBuilder sb = new StringBuilder();
            while (more()) {
                sb.append(word());
            }
            return sb.toString();
        }

        Name name() {
            String t = word();
            return Name.parse(t, origin).orElseThrow(e -> new Bad(new RdataTextError.BadName(e)));
        }

        int u8() {
            return (int) number(word(), 0xff);
        }

        int u16() {
            return (int) number(word(), 0xffff);
        }

        /** A DNSSEC algorithm: a number, or its mnemonic (RFC 4034 2.2, 3.2, 5.3; IANA's table). */
        int algorithm() {
            String w = word();
            Integer known = ALGORITHMS.get(w.toUpperCase(java.util.Locale.ROOT));
            return known != null ? known : (int) number(w, 0xff);
        }

        long u32() {
            return number(word(), 0xffffffffL);
        }

        Bytes string() {
            return charString(next().text());
        }
    }

    /** DNSSEC algorithm mnemonics (IANA "DNS Security Algorithm Numbers"). */
    private static final java.util.Map<String, Integer> ALGORITHMS = java.util.Map.ofEntries(
            java.util.Map.entry("RSAMD5", 1), java.util.Map.entry("DH", 2), java.util.Map.entry("DSA", 3),
            java.util.Map.entry("RSASHA1", 5), java.util.Map.entry("DSA-NSEC3-SHA1", 6),
            java.util.Map.entry("RSASHA1-NSEC3-SHA1", 7), java.util.Map.entry("RSASHA256", 8),
            java.util.Map.entry("RSASHA512", 10), java.util.Map.entry("ECC-GOST", 12),
            java.util.Map.entry("ECDSAP256SHA256", 13), java.util.Map.entry("ECDSAP384SHA384", 14),
            java.util.Map.entry("ED25519", 15), java.util.Map.entry("ED448", 16), java.util.Map.entry("INDIRECT", 252),
            java.util.Map.entry("PRIVATEDNS", 253), java.util.Map.entry("PRIVATEOID", 254));

    static long number(String s, long max) {
        if (s.isEmpty() || s.length() > 10) {
            throw new Bad(new RdataTextError.BadNumber(s, max));
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                throw new Bad(new RdataTextError.BadNumber(s, max));
            }
            v = v * 10 + (ch - '0');
        }
        if (v > max) {
            throw new Bad(new RdataTextError.BadNumber(s, max));
        }
        return v;
    }

    /** Decodes RFC 1035 5.1 escapes of a character-string token (quotes already removed). */
    private static Bytes charString(String s) {
        Bytes b = unescape(s);
        if (b.size() > 255) {
            throw new Bad(new RdataTextError.StringTooLong(b.size()));
        }
        return b;
    }

    static Bytes unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\') {
                if (i + 1 >= s.length()) {
                    throw new Bad(new RdataTextError.BadEscape(s));
                }
                char d = s.charAt(i + 1);
                if (d >= '0' && d <= '9') {
                    int v = i + 3 < s.length() ? decimalEscape(s, i + 1) : -1;
                    if (v < 0 || v > 255) {
                        throw new Bad(new RdataTextError.BadEscape(s));
                    }
                    out.write(v);
                    i += 3;
                } else {
                    byte[] enc = String.valueOf(d).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    out.write(enc, 0, enc.length);
                    i += 1;
                }
            } else {
                byte[] enc = String.valueOf(ch).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(ch) && i + 1 < s.length()) {
                    enc = s.substring(i, i + 2).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    i++;
                }
                out.write(enc, 0, enc.length);
            }
        }
        return Bytes.adopt(out.toByteArray());
    }

    /** The three digits at {@code at} as a number, or -1 if they are not all digits. */
    private static int decimalEscape(String s, int at) {
        int v = 0;
        for (int k = at; k < at + 3; k++) {
            char ch = s.charAt(k);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v;
    }

    private static Bytes hexBytes(String s) {
        if (s.equals("-")) {
            return Bytes.EMPTY;
        }
        try {
            return Bytes.adopt(HexFormat.of().parseHex(s));
        } catch (IllegalArgumentException e) {
            throw new Bad(new RdataTextError.BadHex(s));
        }
    }

    /** RFC 5155 3.3: the salt in hex, or "-" for none; on the wire it is a length byte and at most 255 bytes. */
    private static Bytes parseSalt(String s) {
        Bytes salt = hexBytes(s);
        if (salt.size() > 255) {
            throw new Bad(new RdataTextError.StringTooLong(salt.size()));
        }
        return salt;
    }

    private static Bytes base64Bytes(String s) {
        if (s.equals("-")) {
            return Bytes.EMPTY;
        }
        try {
            return Bytes.adopt(Base64.getDecoder().decode(s));
        } catch (IllegalArgumentException e) {
            throw new Bad(new RdataTextError.BadBase64(s));
        }
    }

    private static long time(String s) {
        if (s.length() == 14 && s.chars().allMatch(Character::isDigit)) {
            try {
                long v = LocalDateTime.parse(s, STAMP).toEpochSecond(ZoneOffset.UTC);
                if (v < 0 || v > 0xffffffffL) {
                    throw new Bad(new RdataTextError.BadTime(s));
                }
                return v;
            } catch (java.time.format.DateTimeParseException e) {
                throw new Bad(new RdataTextError.BadTime(s));
            }
        }
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(ch -> ch >= '0' && ch <= '9')
                || Long.parseLong(s) > 0xffffffffL) {
            throw new Bad(new RdataTextError.BadTime(s));
        }
        return Long.parseLong(s);
    }

    private static List<Integer> typeList(Cursor c) {
        List<Integer> out = new ArrayList<>();
        while (c.more()) {
            String w = c.word();
            out.add(Type.parse(w).orElseThrow(() -> new Bad(new RdataTextError.UnknownType(w))));
        }
        return out;
    }

    private static Rdata parseTyped(int type, Cursor c) {
        return switch (type) {
            case Type.A -> {
                String w = c.word();
                yield new Rdata.A((Inet4Address) RdataCodec.address(parseIpv4(w)));
            }
            case Type.AAAA -> new Rdata.Aaaa(RdataCodec.ipv6(parseIpv6(c.word())));
            case Type.NS -> new Rdata.Ns(c.name());
            case Type.CNAME -> new Rdata.Cname(c.name());
            case Type.DNAME -> new Rdata.Dname(c.name());
            case Type.PTR -> new Rdata.Ptr(c.name());
            case Type.SOA -> new Rdata.Soa(c.name(), c.name(), c.u32(), ttl(c.word()), ttl(c.word()), ttl(c.word()),
                    ttl(c.word()));
            case Type.MX -> new Rdata.Mx(c.u16(), c.name());
            case Type.TXT -> {
                List<Bytes> strings = new ArrayList<>();
                while (c.more()) {
                    strings.add(c.string());
                }
                if (strings.isEmpty()) {
                    throw new Bad(new RdataTextError.EmptyTxt());
                }
                yield new Rdata.Txt(strings);
            }
            case Type.SRV -> new Rdata.Srv(c.u16(), c.u16(), c.u16(), c.name());
            case Type.NAPTR -> new Rdata.Naptr(c.u16(), c.u16(), c.string(), c.string(), c.string(), c.name());
            case Type.CAA -> {
                int flags = c.u8();
                String tag = c.word();
                if (tag.isEmpty() || tag.length() > 255 || !tag.chars().allMatch(ch -> ch >= '0' && ch <= '9'
                        || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z')) {
                    throw new Bad(new RdataTextError.BadCaaTag(tag));
                }
                yield new Rdata.Caa(flags, tag, unescape(c.next().text()));
            }
            case Type.TLSA -> new Rdata.Tlsa(c.u8(), c.u8(), c.u8(), hexBytes(c.rest()));
            case Type.SSHFP -> new Rdata.Sshfp(c.u8(), c.u8(), hexBytes(c.rest()));
            case Type.SVCB, Type.HTTPS -> parseSvcb(type, c);
            case Type.DS -> new Rdata.Ds(c.u16(), c.algorithm(), c.u8(), hexBytes(c.rest()));
            case Type.CDS -> new Rdata.Cds(c.u16(), c.algorithm(), c.u8(), hexBytes(c.rest()));
            case Type.DNSKEY -> new Rdata.Dnskey(c.u16(), c.u8(), c.algorithm(), base64Bytes(c.rest()));
            case Type.CDNSKEY -> new Rdata.Cdnskey(c.u16(), c.u8(), c.algorithm(), base64Bytes(c.rest()));
            case Type.RRSIG -> {
                String covered = c.word();
                int t = Type.parse(covered).orElseThrow(() -> new Bad(new RdataTextError.UnknownType(covered)));
                yield new Rdata.Rrsig(t, c.algorithm(), c.u8(), ttl(c.word()), time(c.word()), time(c.word()), c.u16(),
                        c.name(), base64Bytes(c.rest()));
            }
            case Type.NSEC -> new Rdata.Nsec(c.name(), typeList(c));
            case Type.NSEC3 -> {
                int alg = c.u8();
                int flags = c.u8();
                int it = c.u16();
                Bytes salt = parseSalt(c.word());
                String next = c.word();
                Bytes hash = Base32Hex.decode(next).orElseThrow(() -> new Bad(new RdataTextError.BadBase32Hex(next)));
                if (hash.isEmpty() || hash.size() > 255) {
                    throw new Bad(hash.isEmpty() ? new RdataTextError.EmptyNsec3Hash()
                            : new RdataTextError.StringTooLong(hash.size()));
                }
                yield new Rdata.Nsec3(alg, flags, it, salt, hash, typeList(c));
            }
            case Type.NSEC3PARAM -> new Rdata.Nsec3param(c.u8(), c.u8(), c.u16(), parseSalt(c.word()));
            case Type.ZONEMD -> { // RFC 8976 2.3, kept opaque (no typed case)
                WireWriter w = new WireWriter(64);
                w.u32(c.u32());
                w.u8(c.u8());
                w.u8(c.u8());
                w.bytes(hexBytes(c.rest()));
                yield new Rdata.Opaque(Type.ZONEMD, Bytes.adopt(w.toArray()));
            }
            case Type.DLV -> { // RFC 4431 2: DS's format under another type, kept opaque (no typed case)
                WireWriter w = new WireWriter(64);
                w.u16(c.u16());
                w.u8(c.algorithm());
                w.u8(c.u8());
                w.bytes(hexBytes(c.rest()));
                yield new Rdata.Opaque(Type.DLV, Bytes.adopt(w.toArray()));
            }
            default -> throw new Bad(new RdataTextError.NeedsGenericForm(type));
        };
    }

    /** TTL-like durations: seconds, or BIND units (1w2d3h4m5s). */
    private static long ttl(String s) {
        return parseTtl(s).orElseThrow(() -> new Bad(new RdataTextError.BadTtl(s)));
    }

    public static Optional<Long> parseTtl(String s) {
        if (s.isEmpty() || s.length() > 24) {
            return Optional.empty();
        }
        long total = 0;
        long cur = 0;
        boolean digits = false;
        boolean units = false;
        for (int i = 0; i < s.length(); i++) {
            char ch = Character.toLowerCase(s.charAt(i));
            if (ch >= '0' && ch <= '9') {
                cur = cur * 10 + (ch - '0');
                digits = true;
                if (cur > 0xffffffffL) {
                    return Optional.empty();
                }
                continue;
            }
            long mult = switch (ch) {
                case 's' -> 1;
                case 'm' -> 60;
                case 'h' -> 3600;
                case 'd' -> 86400;
                case 'w' -> 604800;
                default -> -1;
            };
            if (mult < 0 || !digits) {
                return Optional.empty();
            }
            total += cur * mult;
            cur = 0;
            digits = false;
            units = true;
        }
        if (digits && units) {
            return Optional.empty();
        }
        total += cur;
        return total > 0xffffffffL ? Optional.empty() : Optional.of(total);
    }

    /** RFC 1035 3.4.1 dotted quad. */
    private static byte[] parseIpv4(String s) {
        if (!s.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
            throw new Bad(new RdataTextError.BadIpv4(s));
        }
        byte[] b = new byte[4];
        String[] parts = s.split("\\.");
        for (int i = 0; i < 4; i++) {
            int v = Integer.parseInt(parts[i]);
            if (v > 255) {
                throw new Bad(new RdataTextError.BadIpv4(s));
            }
            b[i] = (byte) v;
        }
        return b;
    }

    static byte[] parseIpv6(String s) {
        if (!s.matches("[0-9a-fA-F:.]{2,45}")) {
            throw new Bad(new RdataTextError.BadIpv6(s));
        }
        byte[] out = new byte[16];
        String head = s;
        String tail = "";
        int dbl = s.indexOf("::");
        if (dbl >= 0) {
            head = s.substring(0, dbl);
            tail = s.substring(dbl + 2);
            if (tail.contains("::")) {
                throw new Bad(new RdataTextError.BadIpv6(s));
            }
        }
        List<Integer> h = groups(head, s);
        List<Integer> t = groups(tail, s);
        if (dbl < 0 && h.size() != 8 || dbl >= 0 && h.size() + t.size() > 7) {
            throw new Bad(new RdataTextError.BadIpv6(s));
        }
        for (int i = 0; i < h.size(); i++) {
            out[2 * i] = (byte) (h.get(i) >>> 8);
            out[2 * i + 1] = (byte) (int) h.get(i);
        }
        for (int i = 0; i < t.size(); i++) {
            int g = 8 - t.size() + i;
            out[2 * g] = (byte) (t.get(i) >>> 8);
            out[2 * g + 1] = (byte) (int) t.get(i);
        }
        return out;
    }

    private static List<Integer> groups(String part, String whole) {
        List<Integer> out = new ArrayList<>();
        if (part.isEmpty()) {
            return out;
        }
        String[] gs = part.split(":", -1);
        for (int i = 0; i < gs.length; i++) {
            String g = gs[i];
            if (i == gs.length - 1 && g.contains(".")) {
                String[] q = g.split("\\.", -1);
                if (q.length != 4) {
                    throw new Bad(new RdataTextError.BadIpv6(whole));
                }
                int[] v = new int[4];
                for (int k = 0; k < 4; k++) {
                    v[k] = (int) number(q[k], 255);
                }
                out.add(v[0] << 8 | v[1]);
                out.add(v[2] << 8 | v[3]);
            } else {
                if (g.isEmpty() || g.length() > 4 || g.contains(".")) {
                    throw new Bad(new RdataTextError.BadIpv6(whole));
                }
                out.add(Integer.parseInt(g, 16));
            }
        }
        return out;
    }

    private static final List<String> SVC_KEYS =
            List.of("mandatory", "alpn", "no-default-alpn", "port", "ipv4hint", "ech", "ipv6hint");

    private static int svcKey(String k) {
        int i = SVC_KEYS.indexOf(k.toLowerCase(Locale.ROOT));
        if (i >= 0) {
            return i;
        }
        Optional<Integer> n = Type.parseNumbered(k.toUpperCase(Locale.ROOT), "KEY");
        return n.orElseThrow(() -> new Bad(new RdataTextError.UnknownSvcParamKey(k)));
    }

    /** RFC 9460 2.1: key=value pairs; keyNNNNN with a char-string value for any key, and the common mnemonics. */
    private static Rdata parseSvcb(int type, Cursor c) {
        int prio = c.u16();
        Name target = c.name();
        java.util.TreeMap<Integer, Bytes> params = new java.util.TreeMap<>();
        while (c.more()) {
            Token t = c.next();
            String w = t.text();
            int eq = w.indexOf('=');
            String k = eq < 0 ? w : w.substring(0, eq);
            String v;
            if (eq < 0) {
                v = null;
            } else if (eq == w.length() - 1 && c.more() && c.tokens.get(c.i).quoted()) {
                v = c.next().text();
            } else {
                v = w.substring(eq + 1);
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
            }
            int key = svcKey(k);
            Bytes value = svcValue(key, k, v);
            if (value.size() > 0xffff) {
                throw new Bad(new RdataTextError.RdataTooLong(type, value.size()));
            }
            if (params.put(key, value) != null) {
                throw new Bad(new RdataTextError.DuplicateSvcParamKey(k));
            }
        }
        List<Rdata.SvcParam> list = new ArrayList<>();
        params.forEach((k, v) -> list.add(new Rdata.SvcParam(k, v)));
        return new Rdata.Svcb(type, prio, target, list);
    }

    private static Bytes svcValue(int key, String keyText, String v) {
        boolean generic = keyText.toLowerCase(Locale.ROOT).startsWith("key");
        if (generic || key > 6) {
            return v == null ? Bytes.EMPTY : unescape(v);
        }
        WireWriter w = new WireWriter(32);
        switch (key) {
            case 0 -> {
                for (String s : need(v, keyText).split(",")) {
                    w.u16(svcKey(s));
                }
            }
            case 1 -> {
                for (String s : need(v, keyText).split(",")) {
                    w.charString(charString(s));
                }
            }
            case 2 -> {
                if (v != null) throw new Bad(new RdataTextError.SvcParamValue(keyText, true));
            }
            case 3 -> w.u16((int) number(need(v, keyText), 0xffff));
            case 4 -> {
                for (String s : need(v, keyText).split(",")) {
                    w.raw(parseIpv4(s));
                }
            }
            case 5 -> w.bytes(base64Bytes(need(v, keyText)));
            case 6 -> {
                for (String s : need(v, keyText).split(",")) {
                    w.raw(parseIpv6(s));
                }
            }
            default -> throw new IllegalStateException("key " + key + " has no mnemonic"); // keys above 6 returned above
        }
        return Bytes.adopt(w.toArray());
    }

    private static String need(String v, String keyText) {
        if (v == null || v.isEmpty()) {
            throw new Bad(new RdataTextError.SvcParamValue(keyText, false));
        }
        return v;
    }
}
