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
        return request(DhcpMessage.DISCOVER, mac, xid, ZERO);
    }

    /** The REQUEST of the SELECTING state (RFC 2131 section 4.3.2): the server chosen and the address it offered. */
    static DhcpMessage select(MacAddress mac, int xid, Inet4Address server, Inet4Address requested) {
        return request(DhcpMessage.REQUEST, mac, xid, ZERO, serverId(server), requestedIp(requested));
    }

    /** The REQUEST of the INIT-REBOOT state (RFC 2131 section 4.3.2): no server, the address it remembers. */
    static DhcpMessage initReboot(MacAddress mac, int xid, Inet4Address requested) {
        return request(DhcpMessage.REQUEST, mac, xid, ZERO, requestedIp(requested));
    }

    static DhcpMessage renew(MacAddress mac, int xid, Inet4Address ciaddr) {
        return request(DhcpMessage.REQUEST, mac, xid, ciaddr);
    }

    static DhcpMessage release(MacAddress mac, int xid, Inet4Address server, Inet4Address ciaddr) {
        return request(DhcpMessage.RELEASE, mac, xid, ciaddr, serverId(server));
    }

    static DhcpMessage decline(MacAddress mac, int xid, Inet4Address server, Inet4Address address) {
        return request(DhcpMessage.DECLINE, mac, xid, ZERO, serverId(server), requestedIp(address));
    }

    static DhcpMessage inform(MacAddress mac, int xid, Inet4Address ciaddr) {
        return request(DhcpMessage.INFORM, mac, xid, ciaddr);
    }

    /** A client's BOOTREQUEST of DHCP message type {@code messageType}, its options in the order given after the type. */
    @SafeVarargs
    private static DhcpMessage request(int messageType, MacAddress mac, int xid, Inet4Address ciaddr,
            Map.Entry<Integer, Bytes>... options) {
        Map<Integer, Bytes> o = type(messageType);
        for (Map.Entry<Integer, Bytes> option : options) {
            o.put(option.getKey(), option.getValue());
        }
        return new DhcpMessage(DhcpMessage.BOOTREQUEST, xid, 0, ciaddr, ZERO, ZERO, mac, o);
    }

    private static Map.Entry<Integer, Bytes> serverId(Inet4Address server) {
        return Map.entry(DhcpMessage.OPT_SERVER_ID, addr(server));
    }

    private static Map.Entry<Integer, Bytes> requestedIp(Inet4Address requested) {
        return Map.entry(DhcpMessage.OPT_REQUESTED_IP, addr(requested));
    }

    /** The same message as a relay agent at {@code giaddr} forwards it, with option 82 added. */
    static DhcpMessage relayed(DhcpMessage m, Inet4Address giaddr, Bytes agentInfo) {
        Map<Integer, Bytes> o = new LinkedHashMap<>(m.options());
        o.put(DhcpMessage.OPT_RELAY_AGENT, agentInfo);
        return new DhcpMessage(m.op(), m.xid(), m.flags(), m.ciaddr(), m.yiaddr(), m.siaddr(), m.chaddr(), o, m.hops() + 1,
                m.secs(), giaddr, m.sname(), m.file());
    }
}
