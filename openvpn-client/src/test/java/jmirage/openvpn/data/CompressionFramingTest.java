package jmirage.openvpn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import jmirage.core.Bytes;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class CompressionFramingTest {

    @Property
    void everyFramingRoundTrips(@ForAll CompressionFraming framing, @ForAll @Size(max = 64) byte[] packet) {
        assertEquals(Bytes.of(packet), framing.unframe(framing.frame(Bytes.of(packet))).orElseThrow());
    }

    @Test
    void framedAsCompstubC() {
        Bytes p = Bytes.fromHex("450001");
        assertEquals(Bytes.fromHex("fa450001"), CompressionFraming.LZO_NO.frame(p));
        assertEquals(Bytes.fromHex("fb000145"), CompressionFraming.STUB.frame(p), "head byte swapped to the tail");
        assertEquals(p, CompressionFraming.STUB_V2.frame(p), "nothing unless the packet starts with 0x50");
        assertEquals(Bytes.fromHex("5000" + "5001"), CompressionFraming.STUB_V2.frame(Bytes.fromHex("5001")));
    }

    @Test
    void compressedPacketsAreRefused() {
        assertFalse(CompressionFraming.LZO_NO.unframe(Bytes.fromHex("66aabb")).isOk(), "LZO_COMPRESS_BYTE");
        assertFalse(CompressionFraming.STUB.unframe(Bytes.fromHex("69aabb")).isOk(), "LZ4_COMPRESS_BYTE");
        assertFalse(CompressionFraming.STUB_V2.unframe(Bytes.fromHex("5001aabb")).isOk(), "COMP_ALGV2_LZ4_BYTE");
    }
}
