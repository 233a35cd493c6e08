package jmirage.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Result;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The virtio_net_hdr and software TSO of {@link Offload}, checked against plain RFC 1071 sums and the headers' own rules. */
class OffloadPropertiesTest {

    /** RFC 1071, 16 bits at a time: the reference the checks below use. */
    static int checksum(byte[] b, int from, int length, long initial) {
        long sum = initial;
        for (int i = from; i < from + length; i += 2) {
            sum += ((b[i] & 0xff) << 8) | (i + 1 < from + length ? b[i + 1] & 0xff : 0);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    static int be16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }

    static long be32(byte[] b, int i) {
        return (long) be16(b, i) << 16 | be16(b, i + 2);
    }

    /** A TCP super-frame as the kernel hands it: Ethernet, IPv4 or IPv6, TCP with {@code options} bytes of options, the payload; the TCP checksum left partial. */
    static byte[] superFrame(boolean v4, byte[] payload, int options, int flags, long seq) {
        int ip = v4 ? 20 : 40;
        int tcp = 20 + options;
        byte[] f = new byte[14 + ip + tcp + payload.length];
        f[12] = (byte) (v4 ? 0x08 : 0x86);
        f[13] = (byte) (v4 ? 0x00 : 0xdd);
        if (v4) {
            f[14] = 0x45;
            f[14 + 4] = 0x12; // id 0x1234
            f[14 + 5] = 0x34;
            f[14 + 6] = 0x40; // DF
            f[14 + 8] = 64;
            f[14 + 9] = 6;
            for (int i = 0; i < 8; i++) {
                f[14 + 12 + i] = (byte) (10 + i);
            }
        } else {
            f[14] = 0x60;
            f[14 + 6] = 6;
            f[14 + 7] = 64;
            for (int i = 0; i < 32; i++) {
                f[14 + 8 + i] = (byte) (0x20 + i);
            }
        }
        int t = 14 + ip;
        f[t] = 0x30; // ports 12345 -> 80
        f[t + 1] = 0x39;
        f[t + 3] = 80;
        f[t + 4] = (byte) (seq >>> 24);
        f[t + 5] = (byte) (seq >>> 16);
        f[t + 6] = (byte) (seq >>> 8);
        f[t + 7] = (byte) seq;
        f[t + 12] = (byte) ((tcp / 4) << 4);
        f[t + 13] = (byte) flags;
        f[t + 14] = (byte) 0xff;
        for (int i = 0; i < options; i++) {
            f[t + 20 + i] = 1; // NOP
        }
        System.arraycopy(payload, 0, f, t + tcp, payload.length);
        return f;
    }

    static byte[] read(Offload.VnetHeader h, byte[] frame) {
        byte[] read = new byte[Offload.HEADER + frame.length];
        System.arraycopy(h.encode(), 0, read, 0, Offload.HEADER);
        System.arraycopy(frame, 0, read, Offload.HEADER, frame.length);
        return read;
    }

    @Property(tries = 300)
    void segmentsCarryThePayloadInOrderWithValidHeadersAndChecksums(@ForAll boolean v4,
            @ForAll @Size(max = 20_000) byte[] payload, @ForAll @IntRange(min = 1, max = 9000) int mss,
            @ForAll @IntRange(max = 10) int optionWords, @ForAll @IntRange(max = 0xff) int flags, @ForAll long seq) {
        int options = optionWords * 4;
        long start = seq & 0xffff_ffffL;
        byte[] frame = superFrame(v4, payload, options, flags, start);
        Offload.VnetHeader h = new Offload.VnetHeader(Offload.NEEDS_CSUM, v4 ? Offload.GSO_TCPV4 : Offload.GSO_TCPV6,
                14 + (v4 ? 20 : 40) + 20 + options, mss, 14 + (v4 ? 20 : 40), 16);
        byte[] read = read(h, frame);
        List<Bytes> frames = Offload.frames(read, 0, read.length).orElseThrow(IllegalStateException::new);
        assertEquals(Math.max(1, (payload.length + mss - 1) / mss), frames.size());
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        int ipLength = v4 ? 20 : 40;
        int headers = 14 + ipLength + 20 + options;
        for (int k = 0; k < frames.size(); k++) {
            byte[] f = frames.get(k).toArray();
            int len = f.length - headers;
            assertTrue(len <= mss && (len == mss || k == frames.size() - 1), "segment " + k + " holds " + len);
            joined.write(f, headers, len);
            int t = 14 + ipLength;
            assertEquals((start + (long) k * mss) & 0xffff_ffffL, be32(f, t + 4), "sequence number");
            int expectedFlags = flags;
            if (k < frames.size() - 1) {
                expectedFlags &= ~0x09;
            }
            if (k > 0) {
                expectedFlags &= ~0x80;
            }
            assertEquals(expectedFlags, f[t + 13] & 0xff, "flags");
            long pseudo;
            if (v4) {
                assertEquals(ipLength + 20 + options + len, be16(f, 16), "IPv4 total length");
                assertEquals((0x1234 + k) & 0xffff, be16(f, 18), "IPv4 identification");
                assertEquals(0, checksum(f, 14, 20, 0), "IPv4 header checksum");
                pseudo = 0;
                for (int i = 0; i < 8; i += 2) {
                    pseudo += be16(f, 14 + 12 + i);
                }
            } else {
                assertEquals(20 + options + len, be16(f, 18), "IPv6 payload length");
                pseudo = 0;
                for (int i = 0; i < 32; i += 2) {
                    pseudo += be16(f, 14 + 8 + i);
                }
            }
            pseudo += 6 + 20 + options + len;
            assertEquals(0, checksum(f, t, f.length - t, pseudo), "TCP checksum");
            assertArrayEquals(maskLengths(v4, java.util.Arrays.copyOfRange(frame, 0, t), f), java.util.Arrays.copyOfRange(f, 0, t),
                    "Ethernet and IP headers copied but for lengths, identification and checksum");
        }
        assertArrayEquals(payload, joined.toByteArray());
    }

    /** The original headers with the fields segmentation rewrites taken from {@code segment}: everything else is copied. */
    static byte[] maskLengths(boolean v4, byte[] original, byte[] segment) {
        byte[] expected = original.clone();
        int[] rewritten = v4 ? new int[] {16, 17, 18, 19, 24, 25} : new int[] {18, 19};
        for (int i : rewritten) {
            expected[i] = segment[i];
        }
        return expected;
    }

    /** Frames as the stack sends them: segments of a stream with valid checksums (cut by {@link Offload#frames} itself). */
    static List<Bytes> stream(boolean v4, byte[] payload, int mss, int options, boolean push, long seq) {
        byte[] frame = superFrame(v4, payload, options, push ? 0x18 : 0x10, seq);
        Offload.VnetHeader h = new Offload.VnetHeader(Offload.NEEDS_CSUM, v4 ? Offload.GSO_TCPV4 : Offload.GSO_TCPV6,
                0, mss, 0, 0);
        byte[] read = read(h, frame);
        return Offload.frames(read, 0, read.length).orElseThrow(IllegalStateException::new);
    }

    @Property(tries = 150)
    void coalescedWritesAreCutBackIntoExactlyTheFramesSent(@ForAll boolean v4, @ForAll @Size(min = 1, max = 20_000) byte[] payload,
            @ForAll @IntRange(min = 200, max = 1460) int mss, @ForAll @IntRange(max = 10) int optionWords,
            @ForAll boolean push, @ForAll long seq, @ForAll @IntRange(max = 5) int others, @ForAll @IntRange(max = 100) int at) {
        List<Bytes> sent = new java.util.ArrayList<>(stream(v4, payload, mss, optionWords * 4, push, seq & 0xffff_ffffL));
        for (int i = 0; i < others; i++) { // frames of other kinds in between: ARP-like, another stream's ACK
            byte[] other = new byte[60];
            other[12] = 0x08;
            other[13] = 0x06;
            other[20] = (byte) i;
            sent.add(Math.min(at, sent.size()), Bytes.of(other));
        }
        List<Bytes> back = new java.util.ArrayList<>();
        int writes = 0;
        for (Offload.Write w : Offload.coalesce(sent)) {
            byte[] written = w.header().concat(w.frame()).toArray(); // what write(2) is given
            List<Bytes> frames = Offload.frames(written, 0, written.length).orElseThrow(IllegalStateException::new);
            assertEquals(w.frames(), frames.size(), "a write stands for the frames it holds");
            assertTrue(written.length <= Offload.HEADER + 14 + 65_536, "a write fits the kernel's limit");
            back.addAll(frames);
            writes++;
        }
        assertEquals(sent, back, "the kernel's segmentation (ours in the test) gives back every frame, in order");
        int segments = (payload.length + mss - 1) / mss;
        int perWrite = Math.min(64, Math.max(1, 65_000 / mss)); // at most 64 frames and 65,000 bytes of payload a write
        int bound = others + 2 * ((segments + perWrite - 1) / perWrite + 1); // the others may split the stream in two runs
        assertTrue(writes <= bound, "a stream's " + segments + " segments leave in few writes: " + writes);
    }

    @Property(tries = 500)
    void aChecksumLeftToUsIsCompletedOverTheRestOfTheFrame(@ForAll @Size(min = 16, max = 1514) byte[] frame,
            @ForAll @IntRange(max = 1500) int start, @ForAll @IntRange(max = 40) int offset, @ForAll @IntRange(max = 0xffff) int partial) {
        int csumStart = Math.min(start, frame.length - 2) & ~1;
        int csumOffset = Math.min(offset, frame.length - 2 - csumStart) & ~1;
        frame[csumStart + csumOffset] = (byte) (partial >>> 8);
        frame[csumStart + csumOffset + 1] = (byte) partial;
        byte[] read = read(new Offload.VnetHeader(Offload.NEEDS_CSUM, Offload.GSO_NONE, 0, 0, csumStart, csumOffset), frame);
        byte[] out = Offload.frames(read, 0, read.length).orElseThrow(IllegalStateException::new).getFirst().toArray();
        // The field held the pseudo-header's sum, which the receiver adds back: with it, the
        // completed bytes from csumStart verify (RFC 1071: the sum is -0).
        assertEquals(0, checksum(out, csumStart, out.length - csumStart, partial), "verifies");
        out[csumStart + csumOffset] = frame[csumStart + csumOffset];
        out[csumStart + csumOffset + 1] = frame[csumStart + csumOffset + 1];
        assertArrayEquals(frame, out, "nothing else changes");
    }

    @Property(tries = 300)
    void theHeaderDecodesAsEncoded(@ForAll @IntRange(max = 0xff) int flags, @ForAll @IntRange(max = 0xff) int gso,
            @ForAll @IntRange(max = 0xffff) int hdrLen, @ForAll @IntRange(max = 0xffff) int gsoSize,
            @ForAll @IntRange(max = 0xffff) int csumStart, @ForAll @IntRange(max = 0xffff) int csumOffset) {
        Offload.VnetHeader h = new Offload.VnetHeader(flags, gso, hdrLen, gsoSize, csumStart, csumOffset);
        assertEquals(h, Offload.VnetHeader.parse(h.encode(), 0, Offload.HEADER).orElseThrow());
    }

    @Test
    void theHeaderIsLittleEndianAsTheKernelWritesIt() {
        byte[] b = {1, 1, 0x42, 0, (byte) 0xb4, 0x05, 0x22, 0, 0x10, 0};
        assertEquals(new Offload.VnetHeader(1, Offload.GSO_TCPV4, 0x42, 1460, 0x22, 0x10), Offload.VnetHeader.parse(b, 0, 10).orElseThrow());
    }

    @Test
    void plainFramesPassUnchangedAndNonsenseIsRefused() {
        byte[] frame = new byte[60];
        frame[5] = 7;
        byte[] read = read(Offload.VnetHeader.NONE, frame);
        assertArrayEquals(frame, Offload.frames(read, 0, read.length).orElseThrow().getFirst().toArray());
        assertTrue(Offload.frames(read, 0, 9) instanceof Result.Err<?, ?>, "shorter than the header");
        byte[] udp = read(new Offload.VnetHeader(0, 3, 0, 1400, 0, 0), frame);
        assertTrue(Offload.frames(udp, 0, udp.length) instanceof Result.Err<?, ?>, "UDP segmentation was not offered");
        byte[] beyond = read(new Offload.VnetHeader(Offload.NEEDS_CSUM, 0, 0, 0, 58, 2), frame);
        assertTrue(Offload.frames(beyond, 0, beyond.length) instanceof Result.Err<?, ?>, "checksum field beyond the frame");
        byte[] odd = read(new Offload.VnetHeader(Offload.NEEDS_CSUM, 0, 0, 0, 20, 5), frame);
        assertTrue(Offload.frames(odd, 0, odd.length) instanceof Result.Err<?, ?>, "checksum field not on a 16-bit word");
    }
}
