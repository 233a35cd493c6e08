package jmirage.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ChargenTest {

    // RFC 864, "TCP Based Character Generator Service": the first two lines of the sample.
    static final String RFC_LINE_1 = "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefgh";
    static final String RFC_LINE_2 = "\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghi";

    @Test
    void theStreamStartsLikeTheRfcSample() {
        String text = new String(Chargen.CYCLE.toArray(), StandardCharsets.US_ASCII);
        assertEquals(RFC_LINE_1 + "\r\n" + RFC_LINE_2 + "\r\n", text.substring(0, 2 * 74));
    }

    @Test
    void aCycleIs95LinesAndEndsWhereTheNextBegins() {
        assertEquals(95 * 74, Chargen.CYCLE.size());
        String text = new String(Chargen.CYCLE.toArray(), StandardCharsets.US_ASCII);
        String last = text.substring(94 * 74, 95 * 74 - 2);
        assertEquals(" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefg", last);
    }

    @Property
    void datagramsHaveTheAskedLengthOfPattern(@ForAll @IntRange(min = 0, max = 512) int length) {
        assertEquals(length, Chargen.datagram(length).size());
        assertEquals(Chargen.CYCLE.slice(0, length), Chargen.datagram(length));
    }
}
