package jmirage.dns;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jmirage.core.Result;

/**
 * A domain name: a sequence of labels, always absolute (ending in the root). Equality and hashing
 * ignore ASCII case (RFC 4343) while the labels keep the case they were given; {@link #compareTo}
 * is the canonical order of RFC 4034 section 6.1. Limits of RFC 1035 2.3.4: labels of 1..63 bytes,
 * at most 255 bytes on the wire.
 */
public final class Name implements Comparable<Name> {

    public static final int MAX_LABEL = 63;
    public static final int MAX_WIRE = 255;
    public static final Name ROOT = new Name(new byte[0][]);

    private final byte[][] labels; // never exposed, never mutated
    private int hash;

    private Name(byte[][] labels) {
        this.labels = labels;
    }

    /** Builds a name from labels, checking the limits of RFC 1035 2.3.4. */
    public static Result<Name, NameError> ofLabels(List<byte[]> labels) {
        byte[][] copy = new byte[labels.size()][];
        int wire = 1;
        for (int i = 0; i < copy.length; i++) {
            byte[] l = labels.get(i);
            if (l.length == 0) {
                return Result.err(new NameError.EmptyLabel(presentation(labels)));
            }
            if (l.length > MAX_LABEL) {
                return Result.err(new NameError.LabelTooLong(presentation(labels), l.length));
            }
            wire += l.length + 1;
            copy[i] = l.clone();
        }
        if (wire > MAX_WIRE) {
            return Result.err(new NameError.NameTooLong(presentation(labels), wire));
        }
        return Result.ok(new Name(copy));
    }

    static Name trusted(byte[][] labels) {
        return new Name(labels);
    }

    /** Parses an absolute name in presentation form (a missing final dot is allowed). */
    public static Result<Name, NameError> parse(String text) {
        return parse(text, ROOT);
    }

    /** The name for {@code text}, or a bug: for constants and tests. */
    public static Name of(String text) {
        return parse(text).orElseThrow(e -> new IllegalArgumentException(e.describe()));
    }

    /**
     * Parses a name in presentation form (RFC 1035 5.1): {@code \DDD} and {@code \X} escapes; a name
     * without a final dot is relative to {@code origin}; "@" is the origin.
     */
    public static Result<Name, NameError> parse(String text, Name origin) {
        if (text.equals("@")) {
            return Result.ok(origin);
        }
        if (text.equals(".")) {
            return Result.ok(ROOT);
        }
        if (text.isEmpty()) {
            return Result.err(new NameError.Empty());
        }
        List<byte[]> out = new ArrayList<>();
        ByteArrayOutputStream label = new ByteArrayOutputStream();
        boolean absolute = false;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\\') {
                if (i + 1 >= n) {
                    return Result.err(new NameError.BadEscape(text, i));
                }
                char d = text.charAt(i + 1);
                if (d >= '0' && d <= '9') {
                    int v = 0;
                    for (int k = 1; k <= 3; k++) {
                        char e = i + k < n ? text.charAt(i + k) : 'x';
                        if (e < '0' || e > '9') {
                            return Result.err(new NameError.BadEscape(text, i));
                        }
                        v = v * 10 + (e - '0');
                    }
                    if (v > 255) {
                        return Result.err(new NameError.BadEscape(text, i));
                    }
                    label.write(v);
                    i += 4;
                } else {
                    if (d > 0x7f) {
                        return Result.err(new NameError.NotAscii(text, i + 1));
                    }
                    label.write(d);
                    i += 2;
                }
            } else if (c == '.') {
                if (label.size() == 0) {
                    return Result.err(new NameError.EmptyLabel(text));
                }
                out.add(label.toByteArray());
                label.reset();
                i++;
                if (i == n) {
                    absolute = true;
                }
                continue;
            } else {
                if (c > 0x7f) {
                    return Result.err(new NameError.NotAscii(text, i));
                }
                label.write(c);
                i++;
            }
            if (label.size() > MAX_LABEL) {
                return Result.err(new NameError.LabelTooLong(text, labelLength(text, i, label.size())));
            }
        }
        if (label.size() > 0) {
            out.add(label.toByteArray());
        }
        if (!absolute) {
            for (int k = 0; k < origin.labels.length; k++) {
                out.add(origin.labels[k]);
            }
        }
        return ofLabels(out);
    }

    /**
     * The length in bytes of the label of {@code text} being read at {@code from}, which already has
     * {@code sofar} bytes: read to its end so that the error gives the whole length. Any escape
     * counts as one byte here; only the length is wanted.
     */
    private static int labelLength(String text, int from, int sofar) {
        int length = sofar;
        int i = from;
        while (i < text.length() && text.charAt(i) != '.') {
            if (text.charAt(i) == '\\' && i + 1 < text.length()) {
                boolean decimal = Character.isDigit(text.charAt(i + 1));
                i += decimal ? Math.min(4, text.length() - i) : 2;
            } else {
                i++;
            }
            length++;
        }
        return length;
    }

    public int labelCount() {
        return labels.length;
    }

    public byte[] label(int index) {
        return labels[index].clone();
    }

    int labelLength(int index) {
        return labels[index].length;
    }

    byte[] rawLabel(int index) {
        return labels[index];
    }

    public boolean isRoot() {
        return labels.length == 0;
    }

    /** Bytes this name takes on the wire, uncompressed. */
    public int wireLength() {
        int len = 1;
        for (byte[] l : labels) {
            len += l.length + 1;
        }
        return len;
    }

    /** The name without its first {@code count} labels. */
    public Name parent(int count) {
        if (count == 0) {
            return this;
        }
        return new Name(Arrays.copyOfRange(labels, count, labels.length));
    }

    /** {@code label} prepended to this name. */
    public Result<Name, NameError> prepend(byte[] label) {
        List<byte[]> l = new ArrayList<>(labels.length + 1);
        l.add(label);
        l.addAll(Arrays.asList(labels));
        return ofLabels(l);
    }

    /** This name with {@code suffix}'s labels appended (used for relative names). */
    public Result<Name, NameError> append(Name suffix) {
        List<byte[]> l = new ArrayList<>(Arrays.asList(labels));
        l.addAll(Arrays.asList(suffix.labels));
        return ofLabels(l);
    }

    public boolean isSubdomainOf(Name other) {
        int d = labels.length - other.labels.length;
        if (d < 0) {
            return false;
        }
        for (int i = 0; i < other.labels.length; i++) {
            if (!labelEquals(labels[d + i], other.labels[i])) {
                return false;
            }
        }
        return true;
    }

    public boolean isWildcard() {
        return labels.length > 0 && labels[0].length == 1 && labels[0][0] == '*';
    }

    /** This name in lower case (RFC 4034 6.2 canonical form). */
    public Name toLowerCase() {
        byte[][] l = new byte[labels.length][];
        boolean changed = false;
        for (int i = 0; i < labels.length; i++) {
            l[i] = labels[i];
            for (byte b : labels[i]) {
                if (b >= 'A' && b <= 'Z') {
                    l[i] = lower(labels[i]);
                    changed = true;
                    break;
                }
            }
        }
        return changed ? new Name(l) : this;
    }

    private static byte[] lower(byte[] label) {
        byte[] r = label.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] = (byte) lower(r[i]);
        }
        return r;
    }

    static int lower(int b) {
        b &= 0xff;
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    static boolean labelEquals(byte[] a, byte[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i] && lower(a[i]) != lower(b[i])) {
                return false;
            }
        }
        return true;
    }

    /** The uncompressed wire form, case kept. */
    public byte[] toWire() {
        byte[] out = new byte[wireLength()];
        int p = 0;
        for (byte[] l : labels) {
            out[p++] = (byte) l.length;
            System.arraycopy(l, 0, out, p, l.length);
            p += l.length;
        }
        return out;
    }

    /** Whether the two names are identical including case. */
    public boolean equalsExact(Name other) {
        if (other == this) {
            return true;
        }
        if (other.labels.length != labels.length) {
            return false;
        }
        // byte arrays compared directly: Arrays.deepEquals checks the type of every element
        for (int i = 0; i < labels.length; i++) {
            if (!Arrays.equals(labels[i], other.labels[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof Name other) || other.labels.length != labels.length) {
            return false;
        }
        for (int i = 0; i < labels.length; i++) {
            if (!labelEquals(labels[i], other.labels[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = 1;
            for (byte[] l : labels) {
                for (byte b : l) {
                    h = 31 * h + lower(b);
                }
                h = 31 * h + 7;
            }
            hash = h;
        }
        return h;
    }

    /** RFC 4034 6.1: compare label by label from the right, each as lower-cased unsigned bytes. */
    @Override
    public int compareTo(Name o) {
        int a = labels.length - 1;
        int b = o.labels.length - 1;
        while (a >= 0 && b >= 0) {
            byte[] x = labels[a--];
            byte[] y = o.labels[b--];
            int n = Math.min(x.length, y.length);
            for (int i = 0; i < n; i++) {
                int c = Integer.compare(lower(x[i]), lower(y[i]));
                if (c != 0) {
                    return c;
                }
            }
            if (x.length != y.length) {
                return Integer.compare(x.length, y.length);
            }
        }
        return Integer.compare(a, b);
    }

    /** Presentation form, absolute (trailing dot), with RFC 1035 5.1 escapes. */
    @Override
    public String toString() {
        return presentation(Arrays.asList(labels));
    }

    /** RFC 1035 5.1 presentation of labels, each followed by a dot; "." for none. */
    static String presentation(List<byte[]> labels) {
        if (labels.isEmpty()) {
            return ".";
        }
        StringBuilder sb = new StringBuilder();
        for (byte[] l : labels) {
            for (byte b : l) {
                int v = b & 0xff;
                if (v <= 0x20 || v >= 0x7f) {
                    sb.append('\\').append((char) ('0' + v / 100)).append((char) ('0' + v / 10 % 10))
                            .append((char) ('0' + v % 10));
                } else if (v == '.' || v == '\\' || v == '"' || v == ';' || v == '(' || v == ')' || v == '@'
                        || v == '$') {
                    sb.append('\\').append((char) v);
                } else {
                    sb.append((char) v);
                }
            }
            sb.append('.');
        }
        return sb.toString();
    }
}
