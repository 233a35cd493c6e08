package jmirage.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class BytesTest {

    @Test
    void ofCopiesSoTheCallerCannotChangeTheValue() {
        byte[] source = {1, 2, 3};
        Bytes b = Bytes.of(source);
        source[0] = 9;
        assertEquals(1, b.get(0));
        b.toArray()[1] = 9;
        assertEquals(2, b.get(1));
    }

    @Test
    void equalityIsByContentAndOrderIsUnsigned() {
        assertEquals(Bytes.utf8("abc"), Bytes.of((byte) 'a', (byte) 'b', (byte) 'c'));
        assertNotEquals(Bytes.utf8("abc"), Bytes.utf8("abd"));
        assertTrue(Bytes.of((byte) 0x7f).compareTo(Bytes.of((byte) 0x80)) < 0);
    }

    @Property
    void sliceAndConcatRebuildTheWhole(@ForAll byte[] data, @ForAll int cut) {
        Bytes b = Bytes.of(data);
        int at = data.length == 0 ? 0 : Math.floorMod(cut, data.length + 1);
        assertEquals(b, b.slice(0, at).concat(b.slice(at, data.length)));
        assertEquals(b, Bytes.fromHex(b.hex()));
    }

    @Property
    void regionEqualsIsTheSliceComparedWithTheArray(@ForAll byte[] data, @ForAll byte[] other, @ForAll int cut) {
        Bytes b = Bytes.of(data);
        int at = data.length == 0 ? 0 : Math.floorMod(cut, data.length + 1);
        assertEquals(b.slice(at, data.length).equals(Bytes.of(other)), b.regionEquals(at, other));
        assertTrue(b.regionEquals(at, b.slice(at, data.length).toArray()));
    }

    @Test
    void fnv1aGivesThePublishedValues() {
        // the FNV-1a 32-bit test vectors of draft-eastlake-fnv: "", "a", "foobar"
        assertEquals(0x811c9dc5, Bytes.EMPTY.fnv1a(0, Fnv1a.BASIS));
        assertEquals(0xe40c292c, Bytes.utf8("a").fnv1a(0, Fnv1a.BASIS));
        assertEquals(0xbf9cf968, Bytes.utf8("foobar").fnv1a(0, Fnv1a.BASIS));
        assertEquals(Bytes.utf8("bar").fnv1a(0, 7), Bytes.utf8("foobar").fnv1a(3, 7), "from an offset, from any basis");
    }
}
