package jmirage.net;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.net.ethernet.EthernetFrame;
import jmirage.net.tcp.TcpConfig;
import jmirage.sim.VirtualSwitch;

/**
 * Arbitrary frames into the single parser entry point and into a running stack (Ethernet, ARP,
 * IPv4 with fragments, ICMP, UDP, TCP; IPv6 bodies too, which {@code Ipv6FrameFuzzTest} fuzzes
 * further). Half the frames get valid IPv4 and transport checksums so
 * the fuzzer reaches past them. No exception escapes; every table stays within its bound.
 */
class FrameParserFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void framesNeverBreakTheParserOrTheStack(FuzzedDataProvider data) {
        SimNet net = new SimNet(1, VirtualSwitch.Conditions.PERFECT);
        DirectStack stack = net.stack(1);
        stack.listenTcp(80, flow -> flow.read().onSuccess(r -> flow.close()));
        stack.bindUdp(53, d -> { });
        VirtualSwitch.Port raw = net.network.port(SimNet.mac(2));
        int frames = data.consumeInt(1, 16);
        for (int i = 0; i < frames && data.remainingBytes() > 0; i++) {
            int mode = data.consumeInt(0, 4);
            byte[] body = data.consumeBytes(data.consumeInt(0, 1600));
            Bytes frame = switch (mode) {
                case 0 -> Bytes.of(body);
                case 1 -> new EthernetFrame(SimNet.mac(1), SimNet.mac(2), EthernetFrame.ARP, Bytes.of(body)).encode();
                case 4 -> new EthernetFrame(SimNet.mac(1), SimNet.mac(2), EthernetFrame.IPV6, Bytes.of(body)).encode();
                default -> ipFrame(data.consumeInt(0, 3), data.consumeBoolean(), data.consumeInt(0, 8191), data.consumeInt(0, 3), body);
            };
            Result<Frames.Frame, ?> parsed = Frames.parse(frame); // must return, never throw
            assertTrue(parsed != null);
            raw.send(frame);
            net.sim.scheduler().runFor(Duration.ofMillis(1));
        }
        net.sim.scheduler().runFor(Duration.ofSeconds(2));
        assertTrue(stack.tcp().connectionCount() <= TcpConfig.DEFAULT.maxConnections());
        assertTrue(stack.tcp().memory() <= TcpConfig.DEFAULT.memoryBound());
        assertTrue(stack.arp().queued() <= 256);
        assertTrue(stack.arp().cacheSize() <= 1024);
    }

    /** An IPv4 frame to the stack with valid header checksum and, when asked, a valid transport checksum. */
    static Bytes ipFrame(int protocolChoice, boolean more, int offsetUnits, int fixChecksum, byte[] body) {
        Bytes ip = TestPackets.fuzzed(SimNet.ip("10.0.0.2"), SimNet.ip("10.0.0.1"), protocolChoice, 64, false, more, offsetUnits,
                fixChecksum != 0, body);
        return new EthernetFrame(SimNet.mac(1), SimNet.mac(2), EthernetFrame.IPV4, ip).encode();
    }
}
