package jmirage.net.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.MacAddress;
import jmirage.net.wire.Wire;
import org.junit.jupiter.api.Test;

/** The codec's relay fields, option overload (RFC 2132 9.3) and long options (RFC 3396). */
class DhcpMessageTest {

    static final MacAddress MAC = new MacAddress(0x02_00_00_00_00_07L);

    static byte[] base() {
        DhcpMessage m = new DhcpMessage(1, 0x1234, 0x8000, Wire.ipv4(0), Wire.ipv4(0), Wire.ipv4(0), MAC,
                Map.of(DhcpMessage.OPT_MESSAGE_TYPE, Bytes.of((byte) 1)));
        return m.encode().toArray();
    }

    @Test
    void relayFieldsSurviveARoundTrip() {
        Map<Integer, Bytes> o = new LinkedHashMap<>();
        o.put(DhcpMessage.OPT_MESSAGE_TYPE, Bytes.of((byte) 3));
        o.put(DhcpMessage.OPT_RELAY_AGENT, Bytes.fromHex("0104c0a80001"));
        DhcpMessage m = new DhcpMessage(1, 7, 0, Wire.ipv4(0), Wire.ipv4(0), Wire.ipv4(0), MAC, o, 3, 12, Wire.ipv4(0x0a000001),
                Bytes.utf8("server"), Bytes.utf8("boot/file"));
        DhcpMessage back = DhcpMessage.parse(m.encode()).orElseThrow();
        assertEquals(m, back);
        assertEquals(3, back.hops());
        assertEquals(Wire.ipv4(0x0a000001), back.giaddr());
        assertTrue(back.broadcastFlag() == false);
    }

    @Test
    void overloadedFileAndSnameCarryOptions() {
        byte[] b = base();
        // options field: message type, then overload = 3 (file and sname)
        int end = 240 + 3;
        b[end] = (byte) DhcpMessage.OPT_OVERLOAD;
        b[end + 1] = 1;
        b[end + 2] = 3;
        b[end + 3] = (byte) 255;
        // file (offset 108): requested address 10.0.0.9; sname (offset 44): host name "pc" split across both by RFC 3396
        byte[] file = {50, 4, 10, 0, 0, 9, 12, 1, 'p', (byte) 255};
        byte[] sname = {12, 1, 'c', (byte) 255};
        System.arraycopy(file, 0, b, 108, file.length);
        System.arraycopy(sname, 0, b, 44, sname.length);
        DhcpMessage m = DhcpMessage.parse(Bytes.adopt(b)).orElseThrow();
        assertEquals(Wire.ipv4(0x0a000009), m.address(DhcpMessage.OPT_REQUESTED_IP).orElseThrow());
        assertEquals("pc", m.options().get(DhcpMessage.OPT_HOSTNAME).toUtf8(), "file first, then sname");
        assertEquals(Bytes.EMPTY, m.file());
        assertEquals(Bytes.EMPTY, m.sname());
        assertTrue(!m.options().containsKey(DhcpMessage.OPT_OVERLOAD));
    }

    @Test
    void malformedMessagesAreTypedErrors() {
        byte[] b = base();
        b[236] = 0; // cookie
        assertInstanceOf(Result.Err.class, DhcpMessage.parse(Bytes.adopt(b)));
        assertInstanceOf(Result.Err.class, DhcpMessage.parse(Bytes.adopt(base()).slice(0, 200)));
        byte[] bad = base();
        bad[243] = (byte) DhcpMessage.OPT_OVERLOAD;
        bad[244] = 1;
        bad[245] = 7;
        assertInstanceOf(Result.Err.class, DhcpMessage.parse(Bytes.adopt(bad)), "overload value out of range");
        byte[] overrun = base();
        overrun[243] = (byte) DhcpMessage.OPT_OVERLOAD;
        overrun[244] = 1;
        overrun[245] = 1;
        overrun[246] = (byte) 255;
        overrun[108] = 12;
        overrun[109] = (byte) 200; // runs past the 128-byte file field
        assertInstanceOf(Result.Err.class, DhcpMessage.parse(Bytes.adopt(overrun)));
    }

    @Test
    void longOptionsAreSplitOnEncodeAndJoinedOnParse() {
        byte[] v = new byte[600];
        for (int i = 0; i < v.length; i++) {
            v[i] = (byte) i;
        }
        Map<Integer, Bytes> o = new LinkedHashMap<>();
        o.put(DhcpMessage.OPT_MESSAGE_TYPE, Bytes.of((byte) 5));
        o.put(DhcpMessage.OPT_DOMAIN_SEARCH, Bytes.adopt(v));
        DhcpMessage m = new DhcpMessage(2, 1, 0, Wire.ipv4(0), Wire.ipv4(0), Wire.ipv4(0), MAC, o);
        assertEquals(m, DhcpMessage.parse(m.encode()).orElseThrow());
    }
}
