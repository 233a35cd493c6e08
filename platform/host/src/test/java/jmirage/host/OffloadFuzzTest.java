package jmirage.host;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Result;

/**
 * Arbitrary reads of a TAP with the virtio_net_hdr (device input: the kernel's, or whoever holds
 * the interface) into {@link Offload}: it answers frames or an error, never throws, and never
 * makes more bytes than 64 KiB of payload can become (each frame at most the super-frame's headers
 * plus gso_size).
 */
class OffloadFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void readsNeverBreakTheOffloadCore(FuzzedDataProvider data) {
        boolean plausible = data.consumeBoolean();
        byte[] read = data.consumeBytes(data.consumeInt(0, 70_000));
        if (plausible && read.length >= Offload.HEADER + 14) {
            read[1] = (byte) (data.consumeBoolean() ? Offload.GSO_TCPV4 : Offload.GSO_TCPV6); // reach the segmenter
        }
        Result<List<Bytes>, String> frames = Offload.frames(read, 0, read.length);
        if (frames instanceof Result.Ok<List<Bytes>, String>(List<Bytes> out)) {
            long total = 0;
            for (Bytes f : out) {
                total += f.size();
            }
            assertTrue(out.size() <= Math.max(1, read.length), "at most one frame per payload byte");
            assertTrue(total <= (long) out.size() * read.length, "no frame larger than the read");
        }
    }
}
