package jmirage.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import jmirage.core.Bytes;
import jmirage.core.Clock;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.net.MacAddress;
import jmirage.core.net.Net;
import jmirage.testkit.Command;
import jmirage.testkit.OnLoop;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapNetTest {

    private static final MacAddress OURS = new MacAddress(0x02_00_00_00_00_02L);
    private static final MacAddress THEIRS = new MacAddress(0x02_00_00_00_00_01L);
    private static final byte[] OUR_IP = {10, 77, 0, 2};
    private static final byte[] THEIR_IP = {10, 77, 0, 1};

    @TempDir
    Path dir;
    private HostScheduler scheduler;

    /** A Net that keeps what is sent and lets the test inject received frames. */
    static final class FakeNet implements Net {
        final List<Bytes> sent = new ArrayList<>();
        Consumer<Bytes> receiver = f -> {};
        boolean closed;

        @Override public MacAddress mac() { return OURS; }
        @Override public int mtu() { return 1500; }
        @Override public void send(Bytes frame) { sent.add(frame); }
        @Override public void receive(Consumer<Bytes> receiver) { this.receiver = receiver; }
        @Override public Promise<Unit> close() { closed = true; return Promise.done(); }
    }

    /** Each reading is one microsecond after the last, from a fixed instant. */
    static final class StepClock implements Clock {
        final AtomicLong micros = new AtomicLong();
        @Override public Instant now() { return Instant.ofEpochSecond(1_790_000_000L, 5_000).plusNanos(1000 * micros.getAndIncrement()); }
        @Override public long monotonicNanos() { return micros.get() * 1000; }
    }

    @BeforeEach
    void start() {
        scheduler = HostScheduler.start("pcap-test");
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.shutdown(Duration.ofSeconds(5));
    }

    private static List<Bytes> conversation(int pings) {
        List<Bytes> frames = new ArrayList<>();
        frames.add(Frames.arp(1, THEIRS, THEIR_IP, new MacAddress(0), OUR_IP, new MacAddress(0xffff_ffff_ffffL)));
        frames.add(Frames.arp(2, OURS, OUR_IP, THEIRS, THEIR_IP, THEIRS));
        for (int i = 0; i < pings; i++) {
            Bytes request = echoRequest(i, 56 + (i % 1400));
            frames.add(request);
            frames.add(Frames.echoReply(request));
        }
        return frames;
    }

    /** An ICMP echo request from them to us with {@code payload} bytes of data. */
    static Bytes echoRequest(int sequence, int payload) {
        int total = 20 + 8 + payload;
        byte[] f = new byte[14 + total];
        System.arraycopy(OURS.toBytes(), 0, f, 0, 6);
        System.arraycopy(THEIRS.toBytes(), 0, f, 6, 6);
        f[12] = 0x08;
        f[14] = 0x45;
        f[16] = (byte) (total >>> 8);
        f[17] = (byte) total;
        f[22] = 64;
        f[23] = 1;
        System.arraycopy(THEIR_IP, 0, f, 26, 4);
        System.arraycopy(OUR_IP, 0, f, 30, 4);
        Frames.putChecksum(f, 14, 20, 24);
        f[34] = 8;
        f[38] = 0x12;
        f[40] = (byte) (sequence >>> 8);
        f[41] = (byte) sequence;
        for (int i = 0; i < payload; i++) {
            f[42 + i] = (byte) i;
        }
        Frames.putChecksum(f, 34, 8 + payload, 36);
        return Bytes.adopt(f);
    }

    /** Sends the even frames of {@code frames} and receives the odd ones through the wrapper. */
    private FakeNet capture(Path file, List<Bytes> frames) throws Exception {
        FakeNet inner = new FakeNet();
        List<Bytes> delivered = new ArrayList<>();
        PcapNet pcap = PcapNet.open(inner, file, new StepClock(), scheduler, ConsoleLog.create("pcap", LogLevel.INFO, new HostClock()))
                .orElseThrow(e -> new IllegalStateException(e.describe()));
        OnLoop.await(scheduler, () -> {
            pcap.receive(delivered::add);
            for (int i = 0; i < frames.size(); i++) {
                if (i % 2 == 1) {
                    pcap.send(frames.get(i));
                } else {
                    inner.receiver.accept(frames.get(i));
                }
            }
            return pcap.close();
        });
        assertTrue(inner.closed, "closing the wrapper closes the device");
        assertEquals(frames.size(), inner.sent.size() + delivered.size(), "the wrapper passes every frame on");
        return inner;
    }

    @Test
    void recordsEveryFrameInOrderWithClockTimestamps() throws Exception {
        Path file = dir.resolve("frames.pcap");
        List<Bytes> frames = conversation(2000);
        capture(file, frames);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xa1b2c3d4, b.getInt());
        assertEquals(2, b.getShort());
        assertEquals(4, b.getShort());
        b.getInt();
        b.getInt();
        assertEquals(65_535, b.getInt());
        assertEquals(1, b.getInt(), "LINKTYPE_ETHERNET");
        for (int i = 0; i < frames.size(); i++) {
            assertEquals(1_790_000_000, b.getInt(), "seconds of record " + i);
            assertEquals(5 + i, b.getInt(), "microseconds of record " + i);
            int captured = b.getInt();
            assertEquals(frames.get(i).size(), captured);
            assertEquals(captured, b.getInt());
            byte[] data = new byte[captured];
            b.get(data);
            assertEquals(frames.get(i), Bytes.adopt(data), "record " + i);
        }
        assertEquals(0, b.remaining(), "nothing after the last record");
    }

    @Test
    @Tag("peer")
    void tsharkReadsEveryFrameAndFindsNoneMalformed() throws Exception {
        Sh.requireCommand("tshark", "tshark");
        Path file = dir.resolve("tshark.pcap");
        capture(file, conversation(50));
        Ran all = Command.of("tshark", "-n", "-r", file.toString(), "-T", "fields", "-e", "frame.protocols").timeout(Duration.ofSeconds(60)).run();
        assertEquals(0, all.exit(), all.output());
        List<String> lines = all.output().lines().filter(l -> l.startsWith("eth:")).toList();
        assertEquals(102, lines.size(), all.output());
        assertEquals(2, lines.stream().filter(l -> l.equals("eth:ethertype:arp")).count(), all.output());
        assertEquals(100, lines.stream().filter(l -> l.equals("eth:ethertype:ip:icmp:data")).count(), all.output());
        Ran malformed = Command.of("tshark", "-n", "-o", "ip.check_checksum:TRUE", "-r", file.toString(), "-Y",
                "_ws.malformed || _ws.expert.severity >= warning").timeout(Duration.ofSeconds(60)).run();
        assertEquals(0, malformed.exit(), malformed.output());
        assertEquals("", malformed.output().lines().filter(l -> !l.startsWith("Running as user")).reduce("", String::concat),
                "tshark finds no malformed frame and no warning (bad checksums would be one)");
    }

    /** The host scheduler, except that detached work waits until the test releases it: a stalled disk. */
    static final class StalledDisk implements jmirage.core.Scheduler {
        final HostScheduler inner;
        final List<Runnable> held = new ArrayList<>();
        boolean stalled = true;

        StalledDisk(HostScheduler inner) { this.inner = inner; }
        @Override public void execute(Runnable task) { inner.execute(task); }
        @Override public jmirage.core.Cancellable schedule(Duration delay, Runnable task) { return inner.schedule(delay, task); }
        @Override public boolean inLoop() { return inner.inLoop(); }
        @Override public <T> Promise<T> detach(java.util.concurrent.Callable<T> work) {
            if (!stalled) {
                return inner.detach(work);
            }
            Promise<T> p = Promise.pending();
            held.add(() -> inner.detach(work).onComplete((v, e) -> {
                if (e != null) {
                    p.reject(e);
                } else {
                    p.resolve(v);
                }
            }));
            return p;
        }
        /** On the loop: lets the held work go, and any later work run at once. */
        void release() {
            stalled = false;
            held.forEach(Runnable::run);
            held.clear();
        }
    }

    @Test
    void aStalledDiskCostsRecordsNotMemory() throws Exception {
        Path file = dir.resolve("stalled.pcap");
        StalledDisk disk = new StalledDisk(scheduler);
        java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();
        FakeNet inner = new FakeNet();
        PcapNet pcap = PcapNet.open(inner, file, new StepClock(), disk,
                ConsoleLog.create("pcap", LogLevel.INFO, new HostClock(), new java.io.PrintStream(logged, true)))
                .orElseThrow(e -> new IllegalStateException(e.describe()));
        Bytes frame = echoRequest(1, 1472);
        int frames = 12_000;
        int perRecord = 16 + frame.size();
        int fit = 1 + PcapNet.MAX_BUFFERED / perRecord; // the first goes to the (stalled) write at once
        OnLoop.await(scheduler, () -> {
            for (int i = 0; i < frames; i++) {
                pcap.send(frame);
            }
            return Promise.done();
        });
        assertEquals(frames, inner.sent.size(), "the device still gets every frame");
        assertEquals(1, disk.held.size(), "one write at a time");
        OnLoop.await(scheduler, () -> {
            disk.release();
            return Promise.done();
        });
        OnLoop.await(scheduler, pcap::close);
        assertEquals(24 + (long) fit * perRecord, Files.size(file), "the records that fit, and no more");
        assertTrue(logged.toString().contains((frames - fit) + " frames were not recorded"), logged.toString());
    }

    @Test
    void refusesAFileItCannotWrite() {
        Result<PcapNet, OpenError> r = PcapNet.open(new FakeNet(), dir.resolve("no/such/dir/x.pcap"), new StepClock(), scheduler,
                ConsoleLog.create("pcap", LogLevel.INFO, new HostClock()));
        assertEquals(Result.err(new OpenError.NoSuchFile(dir.resolve("no/such/dir/x.pcap"))), r);
    }
}
