package jmirage.dhcpd;

import java.net.Inet4Address;
import java.util.LinkedHashMap;
import java.util.Map;
import jmirage.core.Bytes;
import jmirage.core.net.MacAddress;
import jmirage.net.dhcp.DhcpMessage;
import jmirage.net.wire.Wire;

/** Builds client messages for tests. */
final class Msg {

    static final Inet4Address ZERO = Wire.ipv4(0);

    private Msg() {}

    static MacAddress mac(long n) {
        return new MacAddress(0x02_00_00_00_00_00L | n);
    }

    static Inet4Address ip(String text) {
        return (Inet4Address) jmirage.core.net.IpAddresses.parse(text).orElseThrow();
    }

    static Map<Integer, Bytes> type(int type) {
        Map<Integer, Bytes> o = new LinkedHashMap<>();
        o.put(DhcpMessage.OPT_MESSAGE_TYPE, Bytes.of((byte) type));
        return o;
    }

    static Bytes addr(Inet4Address a) {
        return Bytes.adopt(a.getAddress());
    }

    static DhcpMessage discover(MacAddress mac, int xid) {
        return new DhcpMessage(DhcpMessage.BOOTREQUEST, xid, 0, ZERO, ZERO, ZERO, mac, type(DhcpMessage.DISCOVER));
    }

    static DhcpMessage select(MacAddress mac, int xid, Inet4Address server, Inet4Address requested) {
        Map<Integer, Bytes> o = type(DhcpMessage.REQUEST);
        o.put(DhcpMessage.OPT_SERVER_ID, addr(server));
        o.put(DhcpMessage.OPT_REQUESTED_IP, addr(requested));
        return new DhcpMessage(DhcpMessage.BOOTREQUEST, xid, 0, ZERO, ZERO, ZERO, mac, o);
    }

    static DhcpMessage initReboot(MacAddress mac, int xid, Inet4Address requested) {
        Map<Integer, Bytes> o = type(DhcpMessage.REQUEST);
        o.put(DhcpMessage.OPT_REQUESTED_IP, addr(requested));
        return new DhcpMessage(DhcpMessage.BOOTREQUEST, xid, 0, ZERO, ZERO, ZERO, mac, o);
    }

    static DhcpMessage renew(MacAddress mac, int xid, Inet4Address ciaddr) {
        return new DhcpMessage(DhcpMessage.BOOTREQUEST, xid, 0, ciaddr, ZERO, ZERO, mac, type(DhcpMessage.REQUEST));
    }

    static DhcpMessage release(MacAddress mac, int xid, Inet4Address server, Inet4Address ciaddr) {
        Map<Integer, Bytes> o = type(DhcpMessage.RELEASE);
        o.put(DhcpMessage.OPT_SERVER_ID, addr(server));
        return new DhcpMessage(DhcpMessage.BOOTREQUEST, xid, 0, ciaddr, ZERO, ZERO, mac, o);
    }

    static DhcpMessage decline(MacAddress mac, int xid, Inet4Address server, Inet4Address address) {
        Map<Integer, Bytes> o = type(DhcpMessage.DECLINE);
        o.put(DhcpMessage.OPT_SERVER_ID, addr(server));
        o.put(DhcpMessage.OPT_REQUESTED_IP, addr(address));
        return new DhcpMessage(DhcpMessage.BOOTREQUEST, xid, 0, ZERO, ZERO, ZERO, mac, o);
    }

    static DhcpMessage inform(MacAddress mac, int xid, Inet4Address ciaddr) {
        return new DhcpMessage(DhcpMessage.BOOTREQUEST, xid, 0, ciaddr, ZERO, ZERO, mac, type(DhcpMessage.INFORM));
    }

    /** The same message as a relay agent at {@code giaddr} forwards it, with option 82 added. */
    static DhcpMessage relayed(DhcpMessage m, Inet4Address giaddr, Bytes agentInfo) {
        Map<Integer, Bytes> o = new LinkedHashMap<>(m.options());
        o.put(DhcpMessage.OPT_RELAY_AGENT, agentInfo);
        return new DhcpMessage(m.op(), m.xid(), m.flags(), m.ciaddr(), m.yiaddr(), m.siaddr(), m.chaddr(), o, m.hops() + 1,
                m.secs(), giaddr, m.sname(), m.file());
    }
}
