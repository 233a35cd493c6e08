package jmirage.net;

import java.net.Inet4Address;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.IpAddresses;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.net.arp.ArpPacket;
import jmirage.net.ethernet.EthernetFrame;
import jmirage.net.tcp.TcpConfig;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;

/** A simulated LAN for tests: one simulation, one switch, stacks on 10.0.0.0/24. */
final class SimNet {

    final Simulation sim;
    final VirtualSwitch network;
    final java.util.Map<Integer, VirtualSwitch.Port> ports = new java.util.HashMap<>();

    SimNet(long seed, VirtualSwitch.Conditions conditions) {
        this.sim = new Simulation(seed);
        this.network = VirtualSwitch.of(sim, conditions);
    }

    static Inet4Address ip(String s) {
        return (Inet4Address) IpAddresses.parse(s).orElseThrow();
    }

    static MacAddress mac(int n) {
        return new MacAddress(0x02_00_00_00_00_00L | n);
    }

    /**
     * What a raw port in a test does with ARP: answers a request for {@code address} with the port's own
     * MAC address (RFC 826). Returns whether {@code frame} was ARP, so that the caller handles the others.
     */
    static boolean answerArp(VirtualSwitch.Port port, Inet4Address address, Bytes frame) {
        EthernetFrame eth = EthernetFrame.parse(frame).orElseThrow();
        if (eth.etherType() != EthernetFrame.ARP) {
            return false;
        }
        ArpPacket q = ArpPacket.parse(eth.payload()).orElseThrow();
        if (q.operation() == ArpPacket.Operation.REQUEST && q.targetIp().equals(address)) {
            ArpPacket reply = new ArpPacket(ArpPacket.Operation.REPLY, port.mac(), address, q.senderMac(), q.senderIp());
            port.send(new EthernetFrame(eth.source(), port.mac(), EthernetFrame.ARP, reply.encode()).encode());
        }
        return true;
    }

    DirectStack stack(int host) {
        return stack(host, TcpConfig.DEFAULT);
    }

    DirectStack stack(int host, TcpConfig tcp) {
        return stack(host, Ipv6Config.DEFAULT, tcp);
    }

    /** A stack on 10.0.0.{@code host}/24 with the IPv6 configuration given. */
    DirectStack stack(int host, Ipv6Config ipv6, TcpConfig tcp) {
        VirtualSwitch.Port port = network.port(mac(host));
        ports.put(host, port);
        Ipv4Config config = new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.0.0." + host + "/24").orElseThrow(), Optional.empty());
        Promise<Result<DirectStack, StartError>> started = DirectStack.start(port, config, ipv6, tcp, sim.clock(), sim.scheduler(),
                sim.random(), sim.log("host" + host, LogLevel.INFO));
        return sim.scheduler().runUntil(started).value().orElseThrow();
    }

    <T> T await(Promise<T> p) {
        return sim.scheduler().runUntil(p).value();
    }
}
