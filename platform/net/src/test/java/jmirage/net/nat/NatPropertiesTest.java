package jmirage.net.nat;

import static jmirage.net.TestPackets.echo;
import static jmirage.net.TestPackets.ip;
import static jmirage.net.TestPackets.tcp;
import static jmirage.net.TestPackets.udp;
import static jmirage.net.TestPackets.verified;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jmirage.core.Bytes;
import jmirage.net.Frames;
import jmirage.net.TestPackets.Verified;
import jmirage.net.icmp.IcmpMessage;
import jmirage.net.ipv4.Ipv4Packet;
import jmirage.net.tcp.TcpSegment;
import jmirage.net.wire.Checksum;
import jmirage.net.wire.Wire;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Laws of the NAT table and of the incremental checksum, over random flows and random bytes. */
class NatPropertiesTest {

    static final Inet4Address PUBLIC = ip("203.0.113.1");

    /** A flow a private host opens: protocol (TCP, UDP or ICMP echo), its endpoint, the remote's, a payload. */
    record Flow(int protocol, Inet4Address host, int port, Inet4Address remote, int remotePort, byte[] payload) {

        Bytes opening() {
            return switch (protocol) {
                case Ipv4Packet.TCP -> tcp(host, port, remote, remotePort, TcpSegment.SYN, 17, Bytes.of(payload));
                case Ipv4Packet.UDP -> udp(host, port, remote, remotePort, Bytes.of(payload));
                default -> echo(IcmpMessage.ECHO_REQUEST, host, remote, port, 3, Bytes.of(payload));
            };
        }

        /** What the remote answers to what it received ({@code sent}: the translated opening). */
        Bytes reply(Verified sent) {
            return switch (protocol) {
                case Ipv4Packet.TCP -> tcp(remote, remotePort, sent.ip().source(), sent.tcp().sourcePort(),
                        TcpSegment.SYN | TcpSegment.ACK, 99, Bytes.of(payload));
                case Ipv4Packet.UDP -> udp(remote, remotePort, sent.ip().source(), sent.udp().sourcePort(), Bytes.of(payload));
                default -> echo(IcmpMessage.ECHO_REPLY, remote, sent.ip().source(), sent.icmp().rest() >>> 16, 3, Bytes.of(payload));
            };
        }
    }

    @Provide
    Arbitrary<Flow> flows() {
        return Combinators.combine(Arbitraries.of(Ipv4Packet.TCP, Ipv4Packet.UDP, Ipv4Packet.ICMP),
                Arbitraries.integers().between(0, 255).map(i -> ip("10.0." + (i / 64) + "." + (i % 64 + 1))),
                Arbitraries.integers().between(1, 65535),
                Arbitraries.integers().between(0, 7).map(i -> ip("198.51.100." + (i + 1))),
                Arbitraries.integers().between(1, 65535),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(1400)).as(Flow::new);
    }

    /** Ports and endpoints of a translated packet, whichever protocol: source, source port, destination, destination port. */
    static List<Object> endpoints(Verified v) {
        return switch (v.transport()) {
            case Frames.Tcp t -> List.of(v.ip().source(), t.segment().sourcePort(), v.ip().destination(), t.segment().destinationPort());
            case Frames.Udp u -> List.of(v.ip().source(), u.datagram().sourcePort(), v.ip().destination(), u.datagram().destinationPort());
            case Frames.Icmp i -> List.of(v.ip().source(), i.message().rest() >>> 16, v.ip().destination(), 0);
            default -> throw new AssertionError(v.transport());
        };
    }

    @Property(tries = 500)
    void aReplyToATranslatedPacketComesBackToTheOriginalEndpointsWithValidChecksums(@ForAll("flows") Flow flow,
            @ForAll long seed) {
        NatTable nat = new NatTable(NatConfig.of(PUBLIC, seed));
        Bytes original = flow.opening();
        Verified sent = verified(assertInstanceOf(NatVerdict.Translated.class, nat.outbound(0, original)).packet());
        assertEquals(PUBLIC, sent.ip().source());
        assertEquals(flow.remote(), sent.ip().destination());
        Verified back = verified(assertInstanceOf(NatVerdict.Translated.class, nat.inbound(1, flow.reply(sent))).packet());
        List<Object> out = endpoints(verified(original));
        List<Object> in = endpoints(back);
        assertEquals(out.get(0), in.get(2), "the reply reaches the private host");
        if (flow.protocol() != Ipv4Packet.ICMP) {
            assertEquals(out.get(1), in.get(3), "at its own port");
            assertEquals(out.get(3), in.get(1));
        } else {
            assertEquals(out.get(1), in.get(1), "with its own echo identifier");
        }
        assertEquals(Ipv4Packet.parse(original).orElseThrow().payload().size(), sent.ip().payload().size());
    }

    /** One step of a random workload: a new or repeated flow, a reply to a mapping, or time passing. */
    record Step(int kind, Flow flow, int pick, int seconds) {}

    @Provide
    Arbitrary<List<Step>> workloads() {
        Arbitrary<Flow> small = Combinators.combine(Arbitraries.of(Ipv4Packet.TCP, Ipv4Packet.UDP, Ipv4Packet.ICMP),
                Arbitraries.integers().between(1, 6).map(i -> ip("10.0.0." + i)), Arbitraries.integers().between(1, 4),
                Arbitraries.integers().between(1, 2).map(i -> ip("198.51.100." + i)), Arbitraries.integers().between(1, 2),
                Arbitraries.just(new byte[0])).as(Flow::new);
        return Combinators.combine(Arbitraries.integers().between(0, 2), small, Arbitraries.integers().between(0, 1000),
                Arbitraries.integers().between(0, 400)).as(Step::new).list().ofMinSize(1).ofMaxSize(120);
    }

    @Property(tries = 300)
    void liveMappingsNeverShareAPublicTupleNorExceedTheCapacity(@ForAll("workloads") List<Step> steps,
            @ForAll @IntRange(min = 1, max = 12) int capacity, @ForAll @IntRange(min = 1, max = 8) int ports, @ForAll long seed) {
        PortForward forward = new PortForward(Ipv4Packet.UDP, 5001, ip("10.0.0.1"), 53);
        NatTable nat = new NatTable(NatConfig.of(PUBLIC, seed).withCapacity(capacity).withPorts(5000, 5000 + ports - 1)
                .withForwards(List.of(forward)));
        long now = 0;
        for (Step step : steps) {
            switch (step.kind()) {
                case 0 -> nat.outbound(now, step.flow().opening());
                case 1 -> {
                    List<Mapping> live = nat.mappings();
                    if (!live.isEmpty()) {
                        Mapping m = live.get(step.pick() % live.size());
                        Verified fake = verified(switch (m.protocol()) {
                            case Ipv4Packet.TCP -> tcp(PUBLIC, m.publicSide().port(), (Inet4Address) m.remote().address(), m.remote().port(), TcpSegment.SYN, 1, Bytes.EMPTY);
                            case Ipv4Packet.UDP -> udp(PUBLIC, m.publicSide().port(), (Inet4Address) m.remote().address(), m.remote().port(), Bytes.EMPTY);
                            default -> echo(IcmpMessage.ECHO_REQUEST, PUBLIC, (Inet4Address) m.remote().address(), m.publicSide().port(), 1, Bytes.EMPTY);
                        });
                        Flow f = new Flow(m.protocol(), PUBLIC, 0, (Inet4Address) m.remote().address(), m.remote().port(), new byte[0]);
                        assertInstanceOf(NatVerdict.Translated.class, nat.inbound(now, f.reply(fake)));
                    }
                }
                default -> {
                    now += step.seconds() * 1_000_000_000L;
                    nat.expire(now); // as the shell's timer does: mappings() then shows only the live
                }
            }
            List<Mapping> live = nat.mappings();
            assertTrue(live.size() <= capacity, live.size() + " mappings in a table of " + capacity);
            assertEquals(nat.size(), live.size());
            Set<List<Object>> publicTuples = new HashSet<>();
            Set<List<Object>> privateTuples = new HashSet<>();
            for (Mapping m : live) {
                assertTrue(publicTuples.add(List.of(m.protocol(), m.publicSide(), m.remote())), "public tuple shared: " + m);
                assertTrue(privateTuples.add(List.of(m.protocol(), m.privateSide(), m.remote())), "private tuple shared: " + m);
                boolean forwarded = m.protocol() == Ipv4Packet.UDP && m.publicSide().port() == 5001;
                assertTrue(forwarded ? m.privateSide().port() == 53 : m.publicSide().port() >= 5000 && m.publicSide().port() < 5000 + ports,
                        "port within the range, or the forward's: " + m);
            }
        }
    }

    /** RFC 1624: the incrementally adjusted checksum equals the one computed again over the changed data (+0 and -0 alike). */
    @Property(tries = 1000)
    void incrementalChecksumMatchesFullRecomputation(@ForAll @Size(min = 4, max = 1500) byte[] data,
            @ForAll @IntRange(min = 0, max = 10_000) int where, @ForAll int value, @ForAll boolean wide) {
        int at = (where % (data.length / 2 - (wide ? 1 : 0))) * 2;
        int before = Checksum.of(data, 0, data.length);
        int adjusted;
        if (wide) {
            int old = Wire.i32(data, at);
            Wire.putU32(data, at, value & 0xffffffffL);
            adjusted = Checksum.adjust32(before, old, value);
        } else {
            int old = Wire.u16(data, at);
            Wire.putU16(data, at, value & 0xffff);
            adjusted = Checksum.adjust(before, old, value & 0xffff);
        }
        int full = Checksum.of(data, 0, data.length);
        assertTrue(adjusted == full || (adjusted | full) == 0xffff && (adjusted & full) == 0,
                "adjusted " + Integer.toHexString(adjusted) + ", recomputed " + Integer.toHexString(full));
    }
}
