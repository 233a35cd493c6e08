package jmirage.dhcpd.core;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Result;

/**
 * Option 81, the Client FQDN option (RFC 4702 2): the flags, and the name the client asks to be
 * known by, each label as its bytes (ISO-8859-1, one char a byte: nothing is decoded or lost). A
 * name is {@code qualified} when it ends in the root label (canonical wire form, RFC 4702 2.3.1) or
 * in a dot (the deprecated ASCII form); else it is a partial name the server completes.
 */
public record ClientFqdn(boolean serverUpdates, boolean override, boolean canonical, boolean noUpdates, List<String> labels,
        boolean qualified) {

    /** The option's code (RFC 4702 2). */
    public static final int OPTION = 81;
    /** RFC 4702 2.1: the flag bits. */
    static final int S = 0x01, O = 0x02, E = 0x04, N = 0x08;
    /** RFC 4702 2.2: RCODE1 and RCODE2 are deprecated; a server sets both to 255. */
    private static final int RCODE_BY_SERVER = 255;
    /** RFC 1035 2.3.4: a label is at most 63 octets, a name at most 255 in wire form. */
    private static final int MAX_LABEL = 63, MAX_NAME = 255;

    public ClientFqdn {
        labels = List.copyOf(labels);
    }

    /** Why an option 81 is not understood; the message is then served as if it had none. */
    public sealed interface FqdnError {
        /** RFC 4702 2: at least the flags and the two RCODE octets. */
        record TooShort(int length) implements FqdnError {}

        /** RFC 4702 2.1: "If the N bit is 1, the S bit MUST be 0." */
        record UpdatesAndNoUpdates() implements FqdnError {}

        /** A wire-form label runs past the option, or a label is empty between dots. */
        record BadLabel(int offset) implements FqdnError {}

        /** RFC 4702 2.3.1: the name is in uncompressed wire form; a label type other than 00 (a pointer) is not. */
        record Compressed(int offset) implements FqdnError {}

        /** Bytes after the root label of a wire-form name. */
        record TrailingBytes(int offset) implements FqdnError {}

        /** RFC 1035 2.3.4: more than 63 octets in a label or 255 in the name. */
        record TooLong(int length) implements FqdnError {}

        default String describe() {
            return switch (this) {
                case TooShort(int length) -> "option 81 of " + length + " bytes, fewer than its 3 fixed ones";
                case UpdatesAndNoUpdates() -> "option 81 sets both S and N";
                case BadLabel(int offset) -> "option 81 has an empty or overrunning label at byte " + offset;
                case Compressed(int offset) -> "option 81 has a compressed or unknown label type at byte " + offset;
                case TrailingBytes(int offset) -> "option 81 has bytes after the end of its name at byte " + offset;
                case TooLong(int length) -> "option 81 has a label or name too long (" + length + " octets)";
            };
        }
    }

    /** Option 81's data (without code and length). */
    public static Result<ClientFqdn, FqdnError> parse(Bytes data) {
        if (data.size() < 3) {
            return Result.err(new FqdnError.TooShort(data.size()));
        }
        int flags = data.getUnsigned(0); // RFC 4702 2.1: the MBZ bits are ignored by a receiver
        if ((flags & N) != 0 && (flags & S) != 0) {
            return Result.err(new FqdnError.UpdatesAndNoUpdates());
        }
        boolean canonical = (flags & E) != 0;
        Bytes name = data.slice(3, data.size());
        Result<Name, FqdnError> parsed = canonical ? wire(name) : ascii(name);
        return parsed.map(n -> new ClientFqdn((flags & S) != 0, (flags & O) != 0, canonical, (flags & N) != 0, n.labels(),
                n.qualified()));
    }

    private record Name(List<String> labels, boolean qualified) {}

    /** RFC 4702 2.3.1: labels each behind its length, a root label (length 0) at the end of a full name. */
    private static Result<Name, FqdnError> wire(Bytes name) {
        List<String> labels = new ArrayList<>();
        int i = 0;
        int wireLength = 1;
        while (i < name.size()) {
            int length = name.getUnsigned(i);
            if (length == 0) {
                if (i + 1 != name.size()) {
                    return Result.err(new FqdnError.TrailingBytes(3 + i + 1));
                }
                return Result.ok(new Name(labels, true));
            }
            if (length > MAX_LABEL) {
                return Result.err(new FqdnError.Compressed(3 + i));
            }
            if (i + 1 + length > name.size()) {
                return Result.err(new FqdnError.BadLabel(3 + i));
            }
            wireLength += 1 + length;
            if (wireLength > MAX_NAME) {
                return Result.err(new FqdnError.TooLong(wireLength));
            }
            labels.add(latin1(name.slice(i + 1, i + 1 + length)));
            i += 1 + length;
        }
        return Result.ok(new Name(labels, false)); // RFC 4702 2.3.1: no root label, a partial name
    }

    /** RFC 4702 2.3.1's deprecated form: the name as ASCII text, dot-separated, qualified when it ends in a dot. */
    private static Result<Name, FqdnError> ascii(Bytes name) {
        String text = latin1(name);
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == 0) {
            end--; // some clients end the text with a NUL
        }
        text = text.substring(0, end);
        if (text.isEmpty()) {
            return Result.ok(new Name(List.of(), false));
        }
        boolean qualified = text.endsWith(".");
        String body = qualified ? text.substring(0, text.length() - 1) : text;
        List<String> labels = new ArrayList<>();
        int wireLength = 1;
        int from = 0;
        for (String label : body.split("\\.", -1)) {
            if (label.isEmpty()) {
                return Result.err(new FqdnError.BadLabel(3 + from));
            }
            if (label.length() > MAX_LABEL || (wireLength += 1 + label.length()) > MAX_NAME) {
                return Result.err(new FqdnError.TooLong(Math.max(label.length(), wireLength)));
            }
            labels.add(label);
            from += label.length() + 1;
        }
        return Result.ok(new Name(labels, qualified));
    }

    /**
     * RFC 4702 4: the server's answer to a client that sent {@code asked}, when the server updates
     * the A RR for {@code labels} (a qualified name): S set, O set when the client had not asked for
     * that (S clear, or N set: RFC 4702 3.3 lets a server override), N clear, in the client's encoding.
     */
    public static ClientFqdn answer(ClientFqdn asked, List<String> labels) {
        return new ClientFqdn(true, !asked.serverUpdates(), asked.canonical(), false, labels, true);
    }

    /**
     * The option's data: flags, RCODE1 and RCODE2 (RFC 4702 2.2: 0 from a client, 255 from a server),
     * the name in wire form or as text.
     */
    public Bytes encode(boolean fromServer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((serverUpdates ? S : 0) | (override ? O : 0) | (canonical ? E : 0) | (noUpdates ? N : 0));
        int rcode = fromServer ? RCODE_BY_SERVER : 0;
        out.write(rcode);
        out.write(rcode);
        if (canonical) {
            for (String label : labels) {
                byte[] b = label.getBytes(StandardCharsets.ISO_8859_1);
                out.write(b.length);
                out.writeBytes(b);
            }
            if (qualified) {
                out.write(0);
            }
        } else {
            String dot = qualified && !labels.isEmpty() ? "." : "";
            out.writeBytes((String.join(".", labels) + dot).getBytes(StandardCharsets.ISO_8859_1));
        }
        return Bytes.adopt(out.toByteArray());
    }

    private static String latin1(Bytes b) {
        return new String(b.toArray(), StandardCharsets.ISO_8859_1);
    }
}
