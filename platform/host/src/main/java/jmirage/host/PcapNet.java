package jmirage.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.function.Consumer;
import jmirage.core.Bytes;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.net.MacAddress;
import jmirage.core.net.Net;

/**
 * A {@link Net} that records every frame in and out of another one to a classic libpcap file
 * (LINKTYPE_ETHERNET), stamped with the {@link Clock}'s wall time, for tshark or Wireshark.
 *
 * <p>The loop never waits for the disk: records are appended to a buffer in memory, and one write
 * at a time takes the whole buffer to the file through {@link Scheduler#detach}. Records that
 * arrive while the buffer holds {@value #MAX_BUFFERED} bytes are dropped (and counted in a warning
 * at close), so a slow disk costs capture completeness, never memory or latency.
 */
public final class PcapNet implements Net {

    static final int MAX_BUFFERED = 16 << 20;

    private final Net inner;
    private final FileChannel file;
    private final Path path;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Log log;
    private ByteBuffer buffer = newBuffer(64 << 10);
    private Promise<Unit> writing;
    private long dropped;
    private boolean closing;
    private Promise<Unit> closed;

    private PcapNet(Net inner, FileChannel file, Path path, Clock clock, Scheduler scheduler, Log log) {
        this.inner = inner;
        this.file = file;
        this.path = path;
        this.clock = clock;
        this.scheduler = scheduler;
        this.log = log;
    }

    /**
     * Creates (or truncates) {@code file}, writes the pcap header, and wraps {@code inner}. Blocks
     * for that one write: call it at boot, off the loop.
     */
    public static Result<PcapNet, OpenError> open(Net inner, Path file, Clock clock, Scheduler scheduler, Log log) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            try {
                ByteBuffer header = ByteBuffer.wrap(Pcap.fileHeader());
                while (header.hasRemaining()) {
                    channel.write(header);
                }
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            return Result.ok(new PcapNet(inner, channel, file, clock, scheduler, log));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Result.err(e instanceof AccessDeniedException ? new OpenError.PermissionDenied(file)
                    : e instanceof NoSuchFileException ? new OpenError.NoSuchFile(file)
                    : new OpenError.Unusable(file, e.toString()));
        }
    }

    @Override
    public MacAddress mac() {
        return inner.mac();
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    @Override
    public void send(Bytes frame) {
        if (!scheduler.inLoop()) {
            scheduler.execute(() -> send(frame));
            return;
        }
        record(frame);
        inner.send(frame);
    }

    @Override
    public void receive(Consumer<Bytes> receiver) {
        inner.receive(frame -> {
            record(frame);
            receiver.accept(frame);
        });
    }

    /** Closes the wrapped device, then writes what is buffered and closes the file. */
    @Override
    public Promise<Unit> close() {
        if (closed != null) {
            return closed;
        }
        closed = inner.close().recover(e -> Unit.UNIT).flatMap(u -> {
            closing = true;
            return drained();
        }).flatMap(u -> scheduler.detach(() -> {
            file.force(false);
            file.close();
            return Unit.UNIT;
        })).map(u -> {
            if (dropped > 0) {
                log.warn("pcap " + path + ": " + dropped + " frames were not recorded (the disk fell behind)");
            }
            return Unit.UNIT;
        });
        return closed;
    }

    private void record(Bytes frame) {
        if (closing) {
            return;
        }
        byte[] record = Pcap.record(clock.now(), frame);
        if (buffer.position() + record.length > MAX_BUFFERED) {
            dropped++;
            return;
        }
        if (buffer.remaining() < record.length) {
            ByteBuffer larger = newBuffer(Math.min(MAX_BUFFERED, Math.max(buffer.capacity() * 2, buffer.position() + record.length)));
            buffer.flip();
            larger.put(buffer);
            buffer = larger;
        }
        buffer.put(record);
        flushSoon();
    }

    /** Starts a write of everything buffered unless one is in flight; that one's end starts the next. */
    private void flushSoon() {
        if (writing != null || buffer.position() == 0) {
            return;
        }
        buffer.flip();
        ByteBuffer out = buffer;
        buffer = newBuffer(64 << 10);
        writing = scheduler.detach(() -> {
            while (out.hasRemaining()) {
                file.write(out);
            }
            return Unit.UNIT;
        });
        writing.onComplete((u, e) -> {
            writing = null;
            if (e != null) {
                log.error("pcap " + path + ": write failed, recording stops: " + e);
                closing = true;
                return;
            }
            flushSoon();
        });
    }

    /** Resolves once nothing is buffered and no write is in flight. */
    private Promise<Unit> drained() {
        if (writing == null && buffer.position() == 0) {
            return Promise.done();
        }
        flushSoon();
        Promise<Unit> current = writing;
        if (current == null) {
            return Promise.done();
        }
        return current.recover(e -> Unit.UNIT).flatMap(u -> drained());
    }

    private static ByteBuffer newBuffer(int capacity) {
        return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The classic libpcap format (https://www.tcpdump.org/manpages/pcap-savefile.5.html), little-endian. */
    static final class Pcap {
        static final int MAGIC_MICROSECONDS = 0xa1b2c3d4;
        static final int LINKTYPE_ETHERNET = 1;
        static final int SNAPLEN = 65_535;
        static final int FILE_HEADER = 24;
        static final int RECORD_HEADER = 16;

        private Pcap() {}

        static byte[] fileHeader() {
            ByteBuffer b = ByteBuffer.allocate(FILE_HEADER).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(MAGIC_MICROSECONDS).putShort((short) 2).putShort((short) 4)
                    .putInt(0) // thiszone: timestamps are UTC
                    .putInt(0) // sigfigs
                    .putInt(SNAPLEN).putInt(LINKTYPE_ETHERNET);
            return b.array();
        }

        /** One record: seconds and microseconds since the epoch, captured and original length, the bytes. */
        static byte[] record(Instant time, Bytes frame) {
            int captured = Math.min(frame.size(), SNAPLEN);
            ByteBuffer b = ByteBuffer.allocate(RECORD_HEADER + captured).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt((int) time.getEpochSecond()).putInt(time.getNano() / 1000).putInt(captured).putInt(frame.size());
            frame.copyTo(0, b.array(), RECORD_HEADER, captured);
            return b.array();
        }
    }
}
