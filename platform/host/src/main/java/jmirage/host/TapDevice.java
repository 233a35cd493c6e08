package jmirage.host;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import jmirage.core.Bytes;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.net.MacAddress;
import jmirage.core.net.Net;

/**
 * A Linux TAP interface as the unikernel's {@link Net}: Ethernet frames without the packet-info
 * header ({@code IFF_TAP | IFF_NO_PI}), through {@code /dev/net/tun} and the FFM API.
 *
 * <p>Frames in, on a {@link HostScheduler} whose loop is epoll's: the loop itself watches the
 * TAP's fd (level-triggered, registered as a Netty {@link EpollIoHandle}) and, each time it is
 * readable, reads up to {@value #BATCH} frames (non-blocking fd) and hands each to the stack at
 * once: no thread between the kernel and the stack, so no wake-up of another thread per burst
 * (issue 22: with a reader thread, the loop of an echo waited 60% of the time for hand-overs).
 * Elsewhere (NIO's loop, another scheduler): a reader thread waits in {@code poll(2)}, reads up to
 * {@value #BATCH} frames and hands the batch to the loop with one {@link Scheduler#execute}; at
 * most {@value #MAX_IN_FLIGHT} frames wait for the loop, beyond that the reader drops, as a NIC
 * drops when its receive ring is full. Frames out: {@link #send} writes on the loop; the kernel
 * never blocks a TAP write, and a frame it refuses is lost, as on a wire.
 *
 * <p>The interface is the operator's: the device attaches to an existing one of that name, or
 * creates it when the process may ({@code CAP_NET_ADMIN}); a device it created vanishes on close.
 * Bringing it up and addressing the Linux side is the operator's job too (see the README).
 */
public final class TapDevice implements Net {

    /** Ethernet payload size; the frame adds a 14-byte header. */
    public static final int MTU = 1500;
    static final int ETHERNET_HEADER = 14;
    private static final int BATCH = 64;
    private static final int MAX_IN_FLIGHT = 4096;
    private static final int MAX_UNSENT = 64;
    private static final int POLL_MILLIS = 100;
    /** Holds any read: the virtio_net_hdr and a super-frame of up to 64 KiB of IP behind its Ethernet header. */
    private static final int READ_BUFFER = Offload.HEADER + ETHERNET_HEADER + 65_536;
    /** {@code -Djmirage.tap.offload=false} opens the TAP without the virtio_net_hdr and its offloads. */
    static final String OFFLOAD_PROPERTY = "jmirage.tap.offload";

    private final String name;
    private final int fd;
    /** Each read and write starts with a virtio_net_hdr ({@code IFF_VNET_HDR}); the kernel may hand super-frames. */
    private final boolean vnet;
    private final MacAddress mac;
    private final Scheduler scheduler;
    private final Log log;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment sendBuffer = arena.allocate(READ_BUFFER);
    private final MemorySegment sendErrno = arena.allocate(Libc.CAPTURE_LAYOUT);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong droppedIn = new AtomicLong();
    private long droppedOut;
    private long sent;
    private long received;
    private boolean warnedSendFailure;
    private volatile boolean closing;
    private Consumer<Bytes> receiver = frame -> {};
    /** Frames sent in this loop turn, written by {@link #flush} (with the virtio_net_hdr only). */
    private final List<Bytes> unsent = new ArrayList<>();
    private Thread reader;
    /** The loop's registration of the fd when the loop reads it, null while it is being made or with a reader thread. */
    private IoRegistration registration;
    private boolean readsOnLoop;
    /** The registration was answered: made ({@link #registration} set) or refused. */
    private boolean registrationDone;
    private MemorySegment loopBuffer;
    /** The loop reader's copy of each read, for {@link Offload} (its own: the reader thread has another). */
    private byte[] loopScratch;
    private MemorySegment loopErrno;
    private Promise<Unit> closed;

    private TapDevice(String name, int fd, boolean vnet, MacAddress mac, Scheduler scheduler, Log log) {
        this.name = name;
        this.fd = fd;
        this.vnet = vnet;
        this.mac = mac;
        this.scheduler = scheduler;
        this.log = log;
    }

    /**
     * Attaches to TAP interface {@code name}, creating it when it does not exist and the process may.
     * The unikernel's MAC is {@code mac}, or a random locally administered unicast address.
     */
    public static Result<TapDevice, OpenError> open(String name, Optional<MacAddress> mac, Scheduler scheduler,
                                                    Random random, Log log) {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (name.isEmpty() || nameBytes.length > Native.IFNAMSIZ - 1 || name.contains("/")
                || name.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            return Result.err(new OpenError.BadInterfaceName(name));
        }
        boolean vnet = !"false".equals(System.getProperty(OFFLOAD_PROPERTY));
        Result<Integer, OpenError> fd = Native.openTap(nameBytes, vnet);
        if (vnet && !fd.isOk()) {
            vnet = false; // a kernel without IFF_VNET_HDR: frames as they are
            fd = Native.openTap(nameBytes, false);
        }
        if (fd instanceof Result.Err<Integer, OpenError>(OpenError e)) {
            return Result.err(e);
        }
        if (vnet && !Native.offload(fd.orElseThrow())) {
            // The header stays (all zero from the kernel): nothing is offloaded, one frame per read and write.
            log.info(name + ": the kernel refuses the checksum and segmentation offloads");
        }
        TapDevice device = new TapDevice(name, fd.orElseThrow(), vnet, mac.orElseGet(() -> randomMac(random)), scheduler, log);
        if (scheduler instanceof HostScheduler host && host.eventLoop() instanceof IoEventLoop loop
                && loop.isCompatible(EpollIoHandle.class)) {
            device.readOnLoop(loop);
        } else {
            device.startReader();
        }
        return Result.ok(device);
    }

    /** A random unicast address with the locally administered bit set (IEEE 802, the U/L bit). */
    public static MacAddress randomMac(Random random) {
        byte[] b = new byte[6];
        random.fill(b);
        b[0] = (byte) ((b[0] & 0xfc) | 0x02);
        long v = 0;
        for (byte x : b) {
            v = (v << 8) | (x & 0xff);
        }
        return new MacAddress(v);
    }

    public String name() {
        return name;
    }

    @Override
    public MacAddress mac() {
        return mac;
    }

    @Override
    public int mtu() {
        return MTU;
    }

    @Override
    public void send(Bytes frame) {
        if (!scheduler.inLoop()) {
            scheduler.execute(() -> send(frame));
            return;
        }
        if (closing) {
            droppedOut++;
            return;
        }
        int size = frame.size();
        if (size < ETHERNET_HEADER || size > MTU + ETHERNET_HEADER) {
            droppedOut++;
            log.debug(() -> name + ": dropped an outgoing frame of " + size + " bytes (MTU " + MTU + ")");
            return;
        }
        if (vnet) {
            // Written at the end of the loop turn, a TCP stream's segments as one super-frame.
            unsent.add(frame);
            if (unsent.size() == 1) {
                scheduler.execute(this::flush);
            } else if (unsent.size() >= MAX_UNSENT) {
                flush();
            }
            return;
        }
        MemorySegment.copy(MemorySegment.ofBuffer(frame.asReadOnlyBuffer()), 0, sendBuffer, 0, size);
        write(size, 1);
    }

    /** Writes the frames sent in this loop turn, coalesced by {@link Offload#coalesce}. */
    private void flush() {
        if (unsent.isEmpty() || closing) {
            return;
        }
        List<Bytes> frames = List.copyOf(unsent);
        unsent.clear();
        for (Offload.Write w : Offload.coalesce(frames)) {
            MemorySegment.copy(MemorySegment.ofBuffer(w.header().asReadOnlyBuffer()), 0, sendBuffer, 0, w.header().size());
            MemorySegment.copy(MemorySegment.ofBuffer(w.frame().asReadOnlyBuffer()), 0, sendBuffer, w.header().size(), w.frame().size());
            write(w.size(), w.frames());
        }
    }

    /** One write(2) of the first {@code length} bytes of the send buffer, standing for {@code frames} frames. */
    private void write(int length, int frames) {
        long written = Native.write(sendErrno, fd, sendBuffer, length);
        if (written == length) {
            sent += frames;
            return;
        }
        droppedOut += frames;
        if (!warnedSendFailure) {
            warnedSendFailure = true;
            log.warn(name + ": the kernel refused a frame (" + Libc.describe(Libc.errno(sendErrno))
                    + "); is the interface up? Further refusals are counted, not logged");
        }
    }

    @Override
    public void receive(Consumer<Bytes> receiver) {
        this.receiver = receiver;
    }

    /** Frames sent, received, and dropped each way so far (for logs and tests). */
    public String counters() {
        return "sent " + sent + ", received " + received + ", dropped out " + droppedOut
                + ", dropped in " + droppedIn.get();
    }

    /** Whether the kernel may hand super-frames and partial checksums, which the device completes (for tests). */
    boolean offloads() {
        return vnet;
    }

    /** Whether the loop reads the fd itself (epoll) rather than a reader thread (for tests). */
    boolean readsOnLoop() {
        return readsOnLoop;
    }

    @Override
    public Promise<Unit> close() {
        if (closed != null) {
            return closed;
        }
        if (scheduler.inLoop()) {
            flush(); // what was sent before close leaves
        }
        closing = true;
        if (readsOnLoop) {
            closed = Promise.pending();
            scheduler.execute(() -> {
                if (registrationDone) {
                    releaseOnLoop(); // else the registration's listener releases once it is answered
                }
            });
            return closed;
        }
        Thread thread = reader;
        closed = scheduler.detach(() -> {
            thread.join();
            Libc.close(fd);
            arena.close();
            return Unit.UNIT;
        });
        return closed;
    }

    /** Asks the loop to watch the fd; frames stay queued in the kernel until it does. */
    private void readOnLoop(IoEventLoop loop) {
        readsOnLoop = true;
        loopBuffer = arena.allocate(READ_BUFFER);
        loopScratch = new byte[READ_BUFFER];
        loopErrno = arena.allocate(Libc.CAPTURE_LAYOUT);
        loop.register(new LoopReader()).addListener(done -> {
            registrationDone = true;
            if (done.isSuccess()) {
                registration = (IoRegistration) done.getNow();
            } else {
                log.error(name + ": stopped receiving frames: the loop cannot watch the TAP: " + done.cause());
            }
            if (closing) {
                releaseOnLoop();
            } else if (registration != null) {
                registration.submit(EpollIoOps.EPOLLIN); // level-triggered: no EPOLLET
            }
        });
    }

    /** On the loop: stop watching, then close the fd (epoll must forget it first) and free the buffers. */
    private void releaseOnLoop() {
        if (registration != null) {
            registration.cancel();
        }
        Libc.close(fd);
        arena.close();
        closed.resolve(Unit.UNIT);
    }

    /** The loop's side of the fd: each readiness, up to {@value #BATCH} frames, each to the stack at once. */
    private final class LoopReader implements EpollIoHandle {
        private final FileDescriptor descriptor = new FileDescriptor(fd);

        @Override
        public FileDescriptor fd() {
            return descriptor;
        }

        @Override
        public void handle(IoRegistration registered, IoEvent event) {
            for (int i = 0; i < BATCH && !closing; i++) {
                long n = Native.read(loopErrno, fd, loopBuffer, READ_BUFFER);
                if (n < 0) {
                    int e = Libc.errno(loopErrno);
                    if (e != Libc.EAGAIN && e != Libc.EINTR) {
                        registered.cancel(); // a level-triggered error would wake the loop forever
                        log.error(name + ": stopped receiving frames: read: " + Libc.describe(e));
                    }
                    return;
                }
                for (Bytes frame : unpack(loopBuffer, n, loopScratch)) {
                    received++;
                    receiver.accept(frame);
                }
            }
        }

        /** The fd is the device's: {@link TapDevice#close} closes it. */
        @Override
        public void close() {}
    }

    private void startReader() {
        reader = Thread.ofPlatform().daemon().name("jmirage-tap-" + name).unstarted(this::readLoop);
        reader.start();
    }

    /** The reader thread: poll, drain, hand over one batch per wake-up. */
    private void readLoop() {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment buffer = local.allocate(READ_BUFFER);
            byte[] scratch = new byte[READ_BUFFER];
            MemorySegment pollFd = local.allocate(Native.POLLFD);
            MemorySegment errno = local.allocate(Libc.CAPTURE_LAYOUT);
            while (!closing) {
                int ready = Native.poll(errno, pollFd, fd, POLL_MILLIS);
                if (ready < 0) {
                    int e = Libc.errno(errno);
                    if (e == Libc.EINTR) {
                        continue;
                    }
                    failReader("poll: " + Libc.describe(e));
                    return;
                }
                if (ready == 0) {
                    continue;
                }
                List<Bytes> batch = new ArrayList<>();
                while (batch.size() < BATCH) {
                    long n = Native.read(errno, fd, buffer, READ_BUFFER);
                    if (n < 0) {
                        int e = Libc.errno(errno);
                        if (e == Libc.EAGAIN || e == Libc.EINTR) {
                            break;
                        }
                        failReader("read: " + Libc.describe(e));
                        return;
                    }
                    for (Bytes frame : unpack(buffer, n, scratch)) {
                        if (inFlight.get() >= MAX_IN_FLIGHT) {
                            droppedIn.incrementAndGet();
                            continue;
                        }
                        inFlight.incrementAndGet();
                        batch.add(frame);
                    }
                }
                if (!batch.isEmpty()) {
                    scheduler.execute(() -> deliver(batch));
                }
            }
        }
    }

    /**
     * The frames of one read of {@code n} bytes: itself, or with the virtio_net_hdr what {@link
     * Offload} makes of it; none (counted as dropped) when the bytes are not a frame of at most the MTU.
     * {@code scratch} (of {@value #READ_BUFFER} bytes, the caller's own) holds the read meanwhile.
     */
    private List<Bytes> unpack(MemorySegment buffer, long n, byte[] scratch) {
        List<Bytes> frames;
        if (vnet) {
            // Offload copies each frame out of the read, so one array per reader serves every read.
            MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, scratch, 0, (int) n);
            Result<List<Bytes>, String> unpacked = Offload.frames(scratch, 0, (int) n);
            if (unpacked instanceof Result.Err<List<Bytes>, String>(String why)) {
                droppedIn.incrementAndGet();
                log.debug(() -> name + ": dropped a read of " + n + " bytes: " + why);
                return List.of();
            }
            frames = unpacked.orElseThrow();
        } else {
            frames = List.of(Bytes.adopt(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE)));
        }
        for (Bytes frame : frames) {
            if (frame.size() < ETHERNET_HEADER || frame.size() > MTU + ETHERNET_HEADER) {
                droppedIn.incrementAndGet();
                return List.of();
            }
        }
        return frames;
    }

    private void deliver(List<Bytes> batch) {
        inFlight.addAndGet(-batch.size());
        for (Bytes frame : batch) {
            if (closing) {
                return;
            }
            received++;
            receiver.accept(frame);
        }
    }

    private void failReader(String reason) {
        scheduler.execute(() -> log.error(name + ": stopped receiving frames: " + reason));
    }

    /** The calls to open, read and write a TAP, bound once (the generic ones are {@link Libc}'s). */
    static final class Native {
        static final int IFNAMSIZ = 16;
        private static final int O_RDWR = 2;
        private static final int O_NONBLOCK = 0x800;
        private static final int O_CLOEXEC = 0x80000;
        /** {@code _IOW('T', 202, int)} from linux/if_tun.h. */
        private static final long TUNSETIFF = 0x400454caL;
        private static final short IFF_TAP = 0x0002;
        private static final short IFF_NO_PI = 0x1000;
        private static final short IFF_VNET_HDR = 0x4000;
        /** {@code _IOW('T', 208, unsigned int)} from linux/if_tun.h, and its flags. */
        private static final long TUNSETOFFLOAD = 0x400454d0L;
        private static final long TUN_F_CSUM = 0x01;
        private static final long TUN_F_TSO4 = 0x02;
        private static final long TUN_F_TSO6 = 0x04;
        private static final short POLLIN = 0x0001;
        /** {@code struct ifreq}: the name, then a union whose first member we use is the short flags. */
        private static final int IFREQ_SIZE = 40;
        static final StructLayout POLLFD = MemoryLayout.structLayout(
                ValueLayout.JAVA_INT.withName("fd"), ValueLayout.JAVA_SHORT.withName("events"),
                ValueLayout.JAVA_SHORT.withName("revents"));

        private static final MethodHandle OPEN = Libc.bind("open",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                Libc.CAPTURE, Linker.Option.firstVariadicArg(2));
        private static final MethodHandle IOCTL = Libc.bind("ioctl",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
                Libc.CAPTURE, Linker.Option.firstVariadicArg(2));
        private static final MethodHandle IOCTL_VALUE = Libc.bind("ioctl",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                Linker.Option.firstVariadicArg(2));
        private static final MethodHandle READ = Libc.bind("read",
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
                Libc.CAPTURE);
        private static final MethodHandle WRITE = Libc.bind("write",
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
                Libc.CAPTURE);
        private static final MethodHandle POLL = Libc.bind("poll",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT),
                Libc.CAPTURE);

        private Native() {}

        /**
         * Checksum and TCP segmentation offload (TUNSETOFFLOAD: the kernel may then hand partial
         * checksums and super-frames); false when the kernel refuses.
         */
        static boolean offload(int fd) {
            try {
                return (int) IOCTL_VALUE.invokeExact(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6) == 0;
            } catch (Throwable t) {
                throw new IllegalStateException("calling ioctl", t);
            }
        }

        /** open(2) and TUNSETIFF, with the virtio_net_hdr when {@code vnet}; the fd on success, what went wrong otherwise. */
        static Result<Integer, OpenError> openTap(byte[] name, boolean vnet) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment errno = arena.allocate(Libc.CAPTURE_LAYOUT);
                MemorySegment path = arena.allocateFrom("/dev/net/tun");
                int fd = (int) OPEN.invokeExact(errno, path, O_RDWR | O_NONBLOCK | O_CLOEXEC, 0);
                if (fd < 0) {
                    int e = Libc.errno(errno);
                    return Result.err(new OpenError.TunUnavailable(e, Libc.describe(e)));
                }
                MemorySegment ifreq = arena.allocate(IFREQ_SIZE);
                MemorySegment.copy(name, 0, ifreq, ValueLayout.JAVA_BYTE, 0, name.length);
                ifreq.set(ValueLayout.JAVA_SHORT, IFNAMSIZ, (short) (IFF_TAP | IFF_NO_PI | (vnet ? IFF_VNET_HDR : 0)));
                int rc = (int) IOCTL.invokeExact(errno, fd, TUNSETIFF, ifreq);
                if (rc < 0) {
                    int e = Libc.errno(errno);
                    Libc.close(fd);
                    String tap = new String(name, StandardCharsets.US_ASCII);
                    return Result.err(new OpenError.TapRefused(tap, e, Libc.describe(e)));
                }
                return Result.ok(fd);
            } catch (Throwable t) {
                throw new IllegalStateException("calling libc", t);
            }
        }

        static long read(MemorySegment errno, int fd, MemorySegment buffer, long size) {
            try {
                return (long) READ.invokeExact(errno, fd, buffer, size);
            } catch (Throwable t) {
                throw new IllegalStateException("calling read", t);
            }
        }

        static long write(MemorySegment errno, int fd, MemorySegment buffer, long size) {
            try {
                return (long) WRITE.invokeExact(errno, fd, buffer, size);
            } catch (Throwable t) {
                throw new IllegalStateException("calling write", t);
            }
        }

        static int poll(MemorySegment errno, MemorySegment pollFd, int fd, int timeoutMillis) {
            pollFd.set(ValueLayout.JAVA_INT, 0, fd);
            pollFd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
            pollFd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
            try {
                return (int) POLL.invokeExact(errno, pollFd, 1L, timeoutMillis);
            } catch (Throwable t) {
                throw new IllegalStateException("calling poll", t);
            }
        }

    }
}
