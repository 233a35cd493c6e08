package jmirage.net.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.net.Frames;
import jmirage.net.TestPackets;
import jmirage.net.icmp.IcmpMessage;
import jmirage.net.ipv4.Ipv4Packet;
import jmirage.net.wire.Wire;

/**
 * Arbitrary datagrams through a small NAT table, both ways: raw bytes, datagrams with valid
 * checksums from and to the addresses the table knows, and ICMP errors quoting what it translated.
 * Only verdicts come out; a translated datagram has a valid header, and valid transport checksums
 * when the datagram it came from had them; the table stays within its capacity.
 */
class NatFuzzTest {

    static final Inet4Address PUBLIC = TestPackets.ip("203.0.113.1");
    static final Inet4Address[] HOSTS = {TestPackets.ip("10.0.0.2"), TestPackets.ip("10.0.0.3")};
    static final Inet4Address[] REMOTES = {TestPackets.ip("198.51.100.7"), TestPackets.ip("198.51.100.8")};

    @FuzzTest(maxDuration = "20s")
    void arbitraryDatagramsGetVerdicts(FuzzedDataProvider data) {
        int capacity = data.consumeInt(1, 16);
        NatTable nat = new NatTable(NatConfig.of(PUBLIC, data.consumeLong()).withCapacity(capacity)
                .withPorts(2000, 2000 + data.consumeInt(0, 20))
                .withForwards(List.of(new PortForward(Ipv4Packet.TCP, 80, HOSTS[0], 8080))));
        List<Bytes> translated = new ArrayList<>();
        long now = 0;
        int packets = data.consumeInt(1, 24);
        for (int i = 0; i < packets && data.remainingBytes() > 0; i++) {
            now += data.consumeLong(0, 600_000_000_000L);
            int mode = data.consumeInt(0, 3);
            boolean outbound = mode == 1 || (mode == 0 && data.consumeBoolean());
            Bytes packet = switch (mode) {
                case 0 -> Bytes.of(data.consumeBytes(data.consumeInt(0, 1600)));
                case 1 -> datagram(data, HOSTS[data.consumeInt(0, 1)], REMOTES[data.consumeInt(0, 1)]);
                case 2 -> datagram(data, REMOTES[data.consumeInt(0, 1)], PUBLIC);
                default -> {
                    // an ICMP error from the Internet quoting (part of) something the table sent
                    Bytes quoted = translated.isEmpty() ? Bytes.EMPTY : translated.get(data.consumeInt(0, translated.size() - 1));
                    quoted = quoted.slice(0, Math.min(quoted.size(), data.consumeInt(0, 600)));
                    IcmpMessage error = new IcmpMessage(data.pickValue(new int[] {3, 4, 5, 11, 12}), data.consumeInt(0, 15), data.consumeInt(), quoted);
                    yield TestPackets.ipv4(REMOTES[0], PUBLIC, Ipv4Packet.ICMP, error.encode());
                }
            };
            NatVerdict verdict = outbound ? nat.outbound(now, packet) : nat.inbound(now, packet);
            if (verdict instanceof NatVerdict.Translated(Bytes out)) {
                Ipv4Packet in = Ipv4Packet.parse(packet).orElseThrow();
                Ipv4Packet after = Ipv4Packet.parse(out).orElseThrow(); // the header checksum is still right
                assertEquals(in.payload().size(), after.payload().size());
                if (Frames.transport(in).isOk()) {
                    assertTrue(Frames.transport(after).isOk(), "a valid datagram stays valid");
                }
                if (outbound) {
                    assertEquals(PUBLIC, after.source());
                    translated.add(out);
                } else {
                    assertEquals(in.source(), after.source());
                }
            }
            assertTrue(nat.size() <= capacity);
        }
    }

    private static Bytes datagram(FuzzedDataProvider data, Inet4Address source, Inet4Address destination) {
        return TestPackets.fuzzed(source, destination, data.consumeInt(0, 3), 64, false, data.consumeBoolean(),
                data.consumeInt(0, 3), data.consumeInt(0, 7) != 0, data.consumeBytes(data.consumeInt(0, 1500)));
    }
}
