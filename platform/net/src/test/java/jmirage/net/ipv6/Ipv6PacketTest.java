package jmirage.net.ipv6;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.MacAddress;
import org.junit.jupiter.api.Test;

/** The extension-header walk (RFC 8200 4), ND addresses (RFC 4291), ICMPv6 checksums (RFC 4443 2.3). */
class Ipv6PacketTest {

    static final byte[] SOURCE = HexFormat.of().parseHex("fe800000000000000000000000000001");
    static final byte[] DESTINATION = HexFormat.of().parseHex("fd000024000100000000000000000002");

    /** A packet with the fixed header's next header {@code first} and {@code rest} as its payload. */
    static Bytes packet(int first, String restHex) {
        byte[] rest = HexFormat.of().parseHex(restHex);
        byte[] b = new byte[40 + rest.length];
        b[0] = 0x60;
        b[4] = (byte) (rest.length >>> 8);
        b[5] = (byte) rest.length;
        b[6] = (byte) first;
        b[7] = 64;
        System.arraycopy(SOURCE, 0, b, 8, 16);
        System.arraycopy(DESTINATION, 0, b, 24, 16);
        System.arraycopy(rest, 0, b, 40, rest.length);
        return Bytes.adopt(b);
    }

    @Test
    void hopByHopDestinationOptionsAndAFinishedRoutingHeaderAreSkipped() {
        // hop-by-hop (router alert, PadN) -> destination options (Pad1 x6) -> routing type 0, segments left 0 -> UDP
        String hopByHop = "3c00" + "05020000" + "0100";
        String destination = "2b00" + "000000000000";
        String routing = "1100" + "0000" + "00000000";
        Ipv6Packet p = Ipv6Packet.parse(packet(0, hopByHop + destination + routing + "cafe")).orElseThrow();
        assertEquals(17, p.nextHeader());
        assertEquals(Bytes.of(new byte[] {(byte) 0xca, (byte) 0xfe}), p.payload());
    }

    @Test
    void extensionHeadersThatAskForRefusalAreRefused() {
        assertFalse(Ipv6Packet.parse(packet(43, "1100" + "0001" + "00000000")).isOk(), "routing header with a segment left");
        assertFalse(Ipv6Packet.parse(packet(60, "1100" + "8100" + "00000000")).isOk(), "unknown option of type 10xxxxxx");
        assertFalse(Ipv6Packet.parse(packet(60, "0000" + "01040000" + "0000" + "1100" + "01040000" + "0000")).isOk(),
                "hop-by-hop after the first header");
        assertFalse(Ipv6Packet.parse(packet(60, "1100" + "01080000" + "0000")).isOk(), "an option overrunning its header");
        assertFalse(Ipv6Packet.parse(packet(50, "00000000")).isOk(), "ESP is refused");
        Result<Ipv6Packet, ?> unknownSkippable = Ipv6Packet.parse(packet(60, "1100" + "1f02" + "0000" + "0100" + "cafe"));
        assertEquals(17, unknownSkippable.orElseThrow().nextHeader(), "an unknown option of type 00xxxxxx is skipped");
    }

    @Test
    void anAtomicFragmentIsAWholePacket() {
        Ipv6Packet p = Ipv6Packet.parse(packet(44, "1100" + "0000" + "12345678" + "beef")).orElseThrow();
        assertEquals(Optional.empty(), p.fragment());
        assertEquals(17, p.nextHeader());
        Ipv6Packet f = Ipv6Packet.parse(packet(44, "1100" + "0001" + "12345678" + "beef")).orElseThrow();
        assertEquals(Optional.of(new Ipv6Packet.FragmentHeader(0, true, 0x12345678)), f.fragment());
    }

    @Test
    void addressesOfNeighborDiscovery() {
        MacAddress mac = MacAddress.parse("52:54:00:12:34:56").orElseThrow();
        assertEquals("fe80:0:0:0:5054:ff:fe12:3456", Ipv6Addresses.linkLocal(mac).getHostAddress()); // RFC 4291 appendix A
        assertEquals("ff02:0:0:0:0:1:ff12:3456", Ipv6Addresses.solicitedNode(Ipv6Addresses.linkLocal(mac)).getHostAddress());
        assertEquals(MacAddress.parse("33:33:ff:12:34:56").orElseThrow(),
                Ipv6Addresses.multicastMac(Ipv6Addresses.solicitedNode(Ipv6Addresses.linkLocal(mac))));
    }

    @Test
    void icmpv6ChecksumCoversThePseudoHeader() {
        var source = Ipv6Addresses.of(SOURCE);
        var destination = Ipv6Addresses.of(DESTINATION);
        Bytes wire = new Icmpv6Message(Icmpv6Message.ECHO_REQUEST, 0, 0x00010002, Bytes.utf8("ping")).encode(source, destination);
        assertTrue(Icmpv6Message.parse(wire, source, destination).isOk());
        assertFalse(Icmpv6Message.parse(wire, source, Ipv6Addresses.ALL_NODES).isOk(), "another pseudo-header fails");
    }

    @Test
    void errorsQuoteAtMostWhatFitsTheMinimumMtu() {
        Icmpv6Message m = Icmpv6Message.destinationUnreachable(Icmpv6Message.PORT_UNREACHABLE, Bytes.adopt(new byte[3000]));
        assertEquals(1280 - 40 - 8, m.body().size());
    }
}
