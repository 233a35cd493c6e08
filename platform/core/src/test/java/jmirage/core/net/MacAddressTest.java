package jmirage.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import jmirage.core.Result;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/** A MAC address's text: six lower-case pairs of hex digits joined by colons, which {@code parse} reads back. */
class MacAddressTest {

    @Property
    void itsTextIsSixPairsOfLowerCaseHexDigitsThatParseBack(@ForAll @LongRange(min = 0, max = 0xffff_ffff_ffffL) long value) {
        MacAddress mac = new MacAddress(value);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            expected.append(i > 0 ? ":" : "").append(String.format(Locale.ROOT, "%02x", (value >>> (40 - 8 * i)) & 0xff));
        }
        assertEquals(expected.toString(), mac.toString());
        assertEquals(Result.<MacAddress, AddressError>ok(mac), MacAddress.parse(mac.toString()));
    }
}
