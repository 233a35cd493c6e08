package jmirage.net.arp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.net.IpAddresses;
import jmirage.core.net.MacAddress;
import jmirage.net.ethernet.EthernetFrame;
import org.junit.jupiter.api.Test;

class ArpTest {

    static final Inet4Address OWN = ip("10.0.0.1");
    static final Inet4Address PEER = ip("10.0.0.2");
    static final MacAddress MAC = new MacAddress(0x020000000001L);
    static final MacAddress PEER_MAC = new MacAddress(0x020000000002L);
    static final long S = 1_000_000_000L;

    static Inet4Address ip(String s) {
        return (Inet4Address) IpAddresses.parse(s).orElseThrow();
    }

    static Arp arp() {
        Arp a = new Arp(MAC, new Arp.Config(Duration.ofSeconds(60), Duration.ofSeconds(1), 3, 2, 5, 100));
        a.setAddress(Optional.of(OWN));
        return a;
    }

    static ArpPacket packet(Bytes frame) {
        return ArpPacket.parse(EthernetFrame.parse(frame).orElseThrow().payload()).orElseThrow();
    }

    @Test
    void queuedPacketsGoOutOnTheReplyAndTheEntryExpires() {
        Arp a = arp();
        List<Bytes> req = a.send(0, PEER, EthernetFrame.IPV4, Bytes.utf8("one"));
        assertEquals(1, req.size());
        assertEquals(PEER, packet(req.get(0)).targetIp());
        assertEquals(List.of(), a.send(0, PEER, EthernetFrame.IPV4, Bytes.utf8("two")), "one request per address");
        List<Bytes> flushed = a.input(S / 10, new ArpPacket(ArpPacket.Operation.REPLY, PEER_MAC, PEER, MAC, OWN));
        assertEquals(List.of(Bytes.utf8("one"), Bytes.utf8("two")),
                flushed.stream().map(f -> EthernetFrame.parse(f).orElseThrow().payload()).toList());
        assertEquals(Optional.of(PEER_MAC), a.lookup(S, PEER));
        a.tick(61 * S);
        assertEquals(Optional.empty(), a.lookup(61 * S, PEER));
    }

    @Test
    void requestsAreRetriedThenTheQueueIsDropped() {
        Arp a = arp();
        a.send(0, PEER, EthernetFrame.IPV4, Bytes.utf8("1"));
        a.send(0, PEER, EthernetFrame.IPV4, Bytes.utf8("2"));
        a.send(0, PEER, EthernetFrame.IPV4, Bytes.utf8("3")); // over the per-address bound of 2
        assertEquals(2, a.queued());
        assertEquals(1, a.dropped());
        int requests = 1;
        for (long t = 1; t <= 10; t++) {
            requests += a.tick(t * S).size();
        }
        assertEquals(4, requests, "the first request and 3 retries");
        assertEquals(0, a.queued());
        assertEquals(3, a.dropped());
    }

    @Test
    void answersOnlyForItsOwnAddressAndLearnsOnlyWhenTargeted() {
        Arp a = arp();
        assertEquals(List.of(), a.input(0, new ArpPacket(ArpPacket.Operation.REQUEST, PEER_MAC, PEER, new MacAddress(0), ip("10.0.0.3"))));
        assertEquals(Optional.empty(), a.lookup(0, PEER), "RFC 826: not the target, no new entry");
        List<Bytes> reply = a.input(0, new ArpPacket(ArpPacket.Operation.REQUEST, PEER_MAC, PEER, new MacAddress(0), OWN));
        assertEquals(new ArpPacket(ArpPacket.Operation.REPLY, MAC, OWN, PEER_MAC, PEER), packet(reply.get(0)));
        assertEquals(Optional.of(PEER_MAC), a.lookup(0, PEER));
    }

    @Test
    void gratuitousAnnouncementCarriesOurAddressTwice() {
        ArpPacket g = packet(arp().announce().get(0));
        assertEquals(OWN, g.senderIp());
        assertEquals(OWN, g.targetIp());
        assertTrue(g.operation() == ArpPacket.Operation.REQUEST);
    }
}
