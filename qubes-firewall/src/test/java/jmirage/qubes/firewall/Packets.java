package jmirage.qubes.firewall;

import java.net.Inet4Address;
import java.util.LinkedHashMap;
import java.util.Map;
import jmirage.core.Bytes;
import jmirage.core.net.IpAddresses;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.net.icmp.IcmpMessage;
import jmirage.net.ipv4.Ipv4Packet;
import jmirage.net.tcp.SeqNum;
import jmirage.net.tcp.TcpSegment;
import jmirage.net.udp.UdpPacket;

/** Datagrams and feeds for the firewall's tests: two clients on 10.33.0.0/24, the anchor's rules for the first. */
final class Packets {

    static final IpPrefix LINK = IpPrefix.parseIpv4WithLength("10.33.0.1/24").orElseThrow();
    static final Inet4Address GATEWAY = ip("10.33.0.1");
    static final Inet4Address CLIENT_A = ip("10.33.0.2");
    static final Inet4Address CLIENT_B = ip("10.33.0.3");
    static final MacAddress MAC_A = MacAddress.parse("02:00:00:00:00:02").orElseThrow();
    static final MacAddress MAC_B = MacAddress.parse("02:00:00:00:00:03").orElseThrow();
    static final Inet4Address SERVER = ip("10.34.0.5");
    static final Inet4Address DNS = ip("10.34.0.53");

    /** The anchor's test rules (test/update-firewall.sh), with its server's address ours. */
    static final String[] ANCHOR = {
        "action=accept specialtarget=dns",
        "action=accept dst4=10.34.0.5 proto=udp dstports=1235-1235",
        "action=accept dst4=10.34.0.5 proto=udp dstports=1338-1338",
        "action=accept dst4=10.34.0.5 proto=tcp dstports=6668-6670",
        "action=accept dst4=10.34.0.5 proto=icmp icmptype=8",
        "action=accept dsthost=bogus.example.org",
        "action=drop dsthost=denied.example.org",
        "action=accept proto=tcp dstports=443-443",
        "action=drop",
    };

    private Packets() {}

    static Inet4Address ip(String text) {
        return IpAddresses.parseIpv4(text).orElseThrow();
    }

    /** Client A with the anchor's rules (policy drop), client B accepting everything. */
    static Map<String, String> feed() {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("qubes-clients/10.33.0.2/mac", "02:00:00:00:00:02");
        entries.put("qubes-clients/10.33.0.3/mac", "02:00:00:00:00:03");
        entries.putAll(rules(CLIENT_A, "drop", ANCHOR));
        entries.putAll(rules(CLIENT_B, "accept"));
        return entries;
    }

    static Map<String, String> rules(Inet4Address client, String policy, String... rules) {
        Map<String, String> entries = new LinkedHashMap<>();
        String tree = "qubes-firewall/" + client.getHostAddress() + "/";
        entries.put(tree + "policy", policy);
        for (int i = 0; i < rules.length; i++) {
            entries.put(tree + "%04d".formatted(i), rules[i]);
        }
        return entries;
    }

    static Bytes udp(Inet4Address from, Inet4Address to, int port) {
        return ip(from, to, Ipv4Packet.UDP, UdpPacket.encode(40000, port, Bytes.utf8("probe"), from, to));
    }

    static Bytes tcpSyn(Inet4Address from, Inet4Address to, int port) {
        return ip(from, to, Ipv4Packet.TCP, new TcpSegment(40000, port, new SeqNum(1000), new SeqNum(0), TcpSegment.SYN, 65535, 1460, -1, Bytes.EMPTY)
                .encode(from, to));
    }

    static Bytes ping(Inet4Address from, Inet4Address to) {
        return ip(from, to, Ipv4Packet.ICMP, new IcmpMessage(IcmpMessage.ECHO_REQUEST, 0, 0x12340001, Bytes.utf8("ping")).encode());
    }

    static Bytes ip(Inet4Address from, Inet4Address to, int protocol, Bytes payload) {
        return new Ipv4Packet(0, 1, false, false, 0, 64, protocol, from, to, payload).encode();
    }
}
