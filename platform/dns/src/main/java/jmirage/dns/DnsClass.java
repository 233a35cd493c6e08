package jmirage.dns;

import java.util.Locale;
import java.util.Optional;

/** Record classes (RFC 1035 3.2.4, RFC 2136 for NONE). */
public final class DnsClass {

    public static final int IN = 1, CH = 3, HS = 4, NONE = 254, ANY = 255;

    private DnsClass() {}

    public static String name(int c) {
        return switch (c) {
            case IN -> "IN";
            case CH -> "CH";
            case HS -> "HS";
            case NONE -> "NONE";
            case ANY -> "ANY";
            default -> "CLASS" + c;
        };
    }

    public static Optional<Integer> parse(String text) {
        String u = text.toUpperCase(Locale.ROOT);
        return switch (u) {
            case "IN" -> Optional.of(IN);
            case "CH" -> Optional.of(CH);
            case "HS" -> Optional.of(HS);
            case "NONE" -> Optional.of(NONE);
            case "ANY" -> Optional.of(ANY);
            default -> Type.parseNumbered(u, "CLASS");
        };
    }
}
