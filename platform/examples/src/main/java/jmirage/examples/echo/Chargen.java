package jmirage.examples.echo;

import jmirage.core.Bytes;

/**
 * The character generator pattern of RFC 864: lines of 72 printable ASCII characters (codes 32 to
 * 126), each line starting one character further along the 95-character ring, ending in CR LF.
 */
final class Chargen {

    static final int LINE_LENGTH = 72;
    private static final int RING = 95;
    private static final int FIRST = 32;

    /** The stream begins as RFC 864's sample does, with the line starting at '!'. */
    private static final int SAMPLE_START = 1;

    /** One full cycle of 95 lines: writing it again and again gives the endless TCP stream. */
    static final Bytes CYCLE = lines(SAMPLE_START, RING);

    private Chargen() {}

    /** {@code count} lines starting with the line whose first character is ring position {@code start}. */
    static Bytes lines(int start, int count) {
        byte[] out = new byte[count * (LINE_LENGTH + 2)];
        int p = 0;
        for (int line = 0; line < count; line++) {
            for (int i = 0; i < LINE_LENGTH; i++) {
                out[p++] = (byte) (FIRST + (start + line + i) % RING);
            }
            out[p++] = '\r';
            out[p++] = '\n';
        }
        return Bytes.adopt(out);
    }

    /** RFC 864, UDP: a datagram of {@code length} characters of the pattern (0 to 512). */
    static Bytes datagram(int length) {
        Bytes text = lines(SAMPLE_START, length / (LINE_LENGTH + 2) + 1);
        return text.slice(0, length);
    }
}
