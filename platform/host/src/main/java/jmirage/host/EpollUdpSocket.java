package jmirage.host;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import java.util.function.Supplier;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.net.Datagram;
import jmirage.core.net.Endpoint;
import jmirage.core.net.NetError;
import jmirage.core.net.UdpSocket;

/**
 * A UDP socket of the host that the loop's own epoll watches (a Netty {@link EpollIoHandle},
 * level-triggered), read with recvmmsg(2) and written with sendmmsg(2) through the FFM API.
 *
 * <p>Why not Netty's epoll datagram channel: per query, a DNS server on it spent more CPU in the
 * channel than in answering (a packet object, a sender address, a buffer slice and a pipeline pass
 * per datagram in, a packet, a direct copy, an outbound entry and a listener per datagram out, and a
 * getsockopt(2) per read), while a cached answer costs a few hundred nanoseconds. Here each wake-up
 * is one recvmmsg of up to {@value #BATCH} datagrams into memory mapped once per stack, the
 * datagrams copied out and handed to the service one by one, and the answers sent in the meantime
 * leaving together in one sendmmsg at the end of the wake-up. Sends outside a read wait for the end
 * of the loop turn (or for {@value #BATCH} of them).
 *
 * <p>Every method runs on the loop. A send the kernel cannot take yet (EAGAIN) waits, in order, for
 * the socket to be writable; a send it refuses settles with the error, and the next ones go on.
 */
final class EpollUdpSocket implements UdpSocket {

    /** Datagrams per recvmmsg(2) and per sendmmsg(2). */
    static final int BATCH = 16;
    /** Reads per wake-up before the loop serves its other fds and tasks (level-triggered: the rest waits). */
    private static final int READS_PER_WAKE_UP = 4;
    /** Room for any datagram: UDP carries at most 65,507 bytes over IPv4 and 65,527 over IPv6. */
    static final int SLOT = 65_536;

    private final DatagramFd socket;
    private final boolean ipv6;
    private final Endpoint local;
    /** The stack's, made at the first read or send of any of its sockets (so a boot binds with no FFM call). */
    private final Supplier<Buffers> memory;
    private final Consumer<Datagram> onReceive;
    private final IoEventLoop loop;
    private final Consumer<EpollUdpSocket> onClose;
    private final ArrayDeque<Unsent> unsent = new ArrayDeque<>();
    private final Runnable flushAtTurnEnd = this::flushQueued;
    private IoRegistration registration;
    /** Inside a read: sends wait for its end. */
    private boolean reading;
    private boolean flushQueued;
    /** The kernel refused a send for now (EAGAIN): sends wait for EPOLLOUT. */
    private boolean waitingWritable;
    private boolean closed;

    private record Unsent(Endpoint destination, Bytes payload, Promise<Result<Unit, NetError>> sent) {}

    private EpollUdpSocket(DatagramFd socket, boolean ipv6, Endpoint local, Supplier<Buffers> memory,
                           Consumer<Datagram> onReceive, IoEventLoop loop, Consumer<EpollUdpSocket> onClose) {
        this.socket = socket;
        this.ipv6 = ipv6;
        this.local = local;
        this.memory = memory;
        this.onReceive = onReceive;
        this.loop = loop;
        this.onClose = onClose;
    }

    /**
     * Opens a socket bound to {@code address} and {@code port} (0: any free port) that may send
     * broadcasts, and has {@code loop} watch it. {@code onClose} hears when it closes.
     */
    static Promise<Result<EpollUdpSocket, NetError>> open(InetAddress address, int port, Supplier<Buffers> memory,
                                                          Consumer<Datagram> onReceive, IoEventLoop loop,
                                                          Consumer<EpollUdpSocket> onClose) {
        Endpoint asked = new Endpoint(address, port);
        boolean ipv6 = address instanceof Inet6Address;
        DatagramFd fd;
        Endpoint local;
        try {
            fd = new DatagramFd(ipv6);
        } catch (IOException e) {
            return Promise.resolved(Result.err(Failures.net(e, asked)));
        }
        try {
            // So a service may send to 255.255.255.255 (a DHCP server's replies, RFC 2131 4.1); a
            // socket bound to 0.0.0.0 receives broadcasts without it.
            fd.setBroadcast(true);
            fd.bind(new InetSocketAddress(address, port));
            local = HostStack.endpoint(fd.localAddress());
        } catch (IOException e) {
            closeQuietly(fd);
            return Promise.resolved(Result.err(Failures.net(e, asked)));
        }
        EpollUdpSocket socket = new EpollUdpSocket(fd, ipv6, local, memory, onReceive, loop, onClose);
        Promise<Result<EpollUdpSocket, NetError>> result = Promise.pending();
        loop.register(socket.new Handle()).addListener(done -> {
            if (done.isSuccess()) {
                socket.registration = (IoRegistration) done.getNow();
                socket.registration.submit(EpollIoOps.EPOLLIN); // level-triggered: no EPOLLET
                result.resolve(Result.ok(socket));
            } else {
                closeQuietly(fd);
                result.resolve(Result.err(new NetError.Io(asked + ": the loop cannot watch the socket: " + done.cause())));
            }
        });
        return result;
    }

    private static void closeQuietly(DatagramFd fd) {
        try {
            fd.close();
        } catch (IOException e) {
            // close(2) of a socket fails only for a bad fd; nothing is left to release
        }
    }

    @Override
    public Endpoint local() {
        return local;
    }

    @Override
    public Promise<Result<Unit, NetError>> send(Endpoint destination, Bytes payload) {
        requireLoop();
        if (closed) {
            return Promise.resolved(Result.err(new NetError.Closed()));
        }
        if (payload.isEmpty()) {
            // As on Netty's channels, which skip it: an empty datagram is not sent.
            return Promise.resolved(Result.ok());
        }
        if (payload.size() > SLOT) {
            return Promise.resolved(Result.err(new NetError.Io(destination + ": a datagram of " + payload.size()
                    + " bytes is more than UDP carries")));
        }
        Promise<Result<Unit, NetError>> sent = Promise.pending();
        unsent.add(new Unsent(destination, payload, sent));
        if (unsent.size() >= BATCH) {
            flush();
        } else if (!reading && !flushQueued) {
            flushQueued = true;
            loop.execute(flushAtTurnEnd);
        }
        return sent;
    }

    /**
     * Closes at once: what was sent before leaves (as far as the kernel takes it now), the loop stops
     * watching, the fd closes; a send the kernel could not take yet settles as {@link NetError.Closed}.
     */
    @Override
    public Promise<Unit> close() {
        requireLoop();
        if (!closed) {
            flush();
            closed = true;
            if (registration != null) {
                registration.cancel(); // epoll forgets the fd before it is closed
            }
            closeQuietly(socket);
            for (Unsent u : unsent) {
                u.sent().resolve(Result.err(new NetError.Closed()));
            }
            unsent.clear();
            onClose.accept(this);
        }
        return Promise.resolved(Unit.UNIT);
    }

    private void flushQueued() {
        flushQueued = false;
        flush();
    }

    /** Writes what waits, {@value #BATCH} datagrams per sendmmsg(2), until none is left or the kernel says EAGAIN. */
    private void flush() {
        if (unsent.isEmpty() || closed) {
            return;
        }
        Buffers buffers = memory.get();
        while (!unsent.isEmpty() && !closed && !waitingWritable) {
            int count = buffers.fillSend(unsent, ipv6);
            if (count == 0) {
                continue; // the first could not be addressed from this socket: settled, dropped
            }
            int result = Native.sendmmsg(socket.intValue(), buffers, count);
            if (result > 0) {
                for (int i = 0; i < result; i++) {
                    unsent.poll().sent().resolve(Result.ok());
                }
                continue;
            }
            int errno = Libc.errno(buffers.sendErrno);
            if (errno == Libc.EINTR) {
                continue;
            }
            if (errno == Libc.EAGAIN) {
                waitingWritable = true;
                registration.submit(EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLOUT));
                return;
            }
            // The first of the batch was refused (sendmmsg reports an error only when none was sent).
            Unsent refused = unsent.poll();
            refused.sent().resolve(Result.err(Failures.net(errno, refused.destination())));
        }
    }

    /** Up to {@value #READS_PER_WAKE_UP} recvmmsg(2) of {@value #BATCH}, each datagram to the service as it is read. */
    private void read() {
        Buffers buffers = memory.get();
        reading = true;
        try {
            for (int r = 0; r < READS_PER_WAKE_UP && !closed; r++) {
                int count = Native.recvmmsg(socket.intValue(), buffers);
                if (count < 0) {
                    // EAGAIN: nothing (left) to read. Another error (a pending one that ICMP left on
                    // the socket) is cleared by reading it; the next datagram comes on the next wake-up.
                    return;
                }
                Datagram[] datagrams = buffers.received(count, local);
                for (Datagram d : datagrams) {
                    if (closed) {
                        return;
                    }
                    onReceive.accept(d);
                }
                if (count < BATCH) {
                    return; // a non-blocking recvmmsg returns fewer only when the queue ran dry
                }
            }
        } finally {
            reading = false;
            flush();
        }
    }

    private void requireLoop() {
        if (!loop.inEventLoop()) {
            throw new IllegalStateException("UDP socket used off its loop");
        }
    }

    /**
     * The socket's fd, opened and bound through Netty's JNI (socket(2) non-blocking, SO_BROADCAST,
     * bind(2)), whose classes TCP loads anyway: the FFM API's downcalls cost their first use about a
     * hundred generated classes, so they wait for the first datagram.
     */
    static final class DatagramFd extends Socket {
        DatagramFd(boolean ipv6) throws IOException {
            super(newSocketDgram0(ipv6));
        }
    }

    /** The loop's side of the fd. */
    private final class Handle implements EpollIoHandle {
        @Override
        public FileDescriptor fd() {
            return socket;
        }

        @Override
        public void handle(IoRegistration registered, IoEvent event) {
            EpollIoOps ops = ((EpollIoEvent) event).ops();
            if (waitingWritable && ops.contains(EpollIoOps.EPOLLOUT)) {
                waitingWritable = false;
                registered.submit(EpollIoOps.EPOLLIN);
                flush();
            }
            if (ops.contains(EpollIoOps.EPOLLIN) || ops.contains(EpollIoOps.EPOLLERR)) {
                read();
            }
        }

        /** The fd is the socket's: {@link EpollUdpSocket#close} closes it. */
        @Override
        public void close() {}
    }

    /**
     * The memory the UDP sockets of one stack read into and write from: one loop uses one socket at a
     * time, so they share it. {@value #BATCH} message headers, addresses and slots of {@value #SLOT}
     * bytes each way; the slots are mapped, not allocated, so only the pages datagrams touch take memory.
     */
    static final class Buffers {
        private final Arena arena = Arena.ofShared();
        private final MemorySegment receiveHeaders = arena.allocate(Native.MMSGHDR, BATCH);
        private final MemorySegment receiveAddresses = arena.allocate(Native.SOCKADDR_STORAGE * BATCH);
        private final MemorySegment receiveSlots = Libc.map((long) SLOT * BATCH, arena);
        private final MemorySegment sendHeaders = arena.allocate(Native.MMSGHDR, BATCH);
        private final MemorySegment sendAddresses = arena.allocate(Native.SOCKADDR_STORAGE * BATCH);
        private final MemorySegment sendSlots = Libc.map((long) SLOT * BATCH, arena);
        private final MemorySegment receiveIovecs = arena.allocate(Native.IOVEC, BATCH);
        private final MemorySegment sendIovecs = arena.allocate(Native.IOVEC, BATCH);
        private final MemorySegment receiveErrno = arena.allocate(Libc.CAPTURE_LAYOUT);
        private final MemorySegment sendErrno = arena.allocate(Libc.CAPTURE_LAYOUT);

        Buffers() {
            for (int i = 0; i < BATCH; i++) {
                Native.header(receiveHeaders, i, receiveAddresses, receiveIovecs, receiveSlots);
                Native.header(sendHeaders, i, sendAddresses, sendIovecs, sendSlots);
            }
        }

        /** Unmaps the memory; no socket of the stack may use it after. */
        void free() {
            arena.close();
        }

        /** Before a recvmmsg(2): each header says again how much room its address and slot have. */
        void readyToReceive() {
            for (int i = 0; i < BATCH; i++) {
                long header = i * Native.MMSGHDR.byteSize();
                receiveHeaders.set(ValueLayout.JAVA_INT, header + Native.MSG_NAMELEN, Native.SOCKADDR_STORAGE);
            }
        }

        /** The first {@code count} datagrams read, copied out, to {@code local}. */
        Datagram[] received(int count, Endpoint local) {
            Datagram[] datagrams = new Datagram[count];
            for (int i = 0; i < count; i++) {
                int length = receiveHeaders.get(ValueLayout.JAVA_INT, i * Native.MMSGHDR.byteSize() + Native.MSG_LEN);
                byte[] payload = new byte[length];
                MemorySegment.copy(receiveSlots, ValueLayout.JAVA_BYTE, (long) i * SLOT, payload, 0, length);
                Endpoint source = Native.endpoint(receiveAddresses, (long) i * Native.SOCKADDR_STORAGE);
                datagrams[i] = new Datagram(source, local, Bytes.adopt(payload));
            }
            return datagrams;
        }

        /**
         * Lays out the first datagrams of {@code unsent} (up to {@value #BATCH}) for one sendmmsg(2)
         * and says how many. When the first cannot be sent from this socket (an IPv6 destination from
         * an IPv4 socket), it is settled with the error, taken off, and the count is 0.
         */
        int fillSend(ArrayDeque<Unsent> unsent, boolean ipv6) {
            int i = 0;
            for (Unsent u : unsent) {
                if (i == BATCH) {
                    break;
                }
                long header = i * Native.MMSGHDR.byteSize();
                MemorySegment address = sendAddresses.asSlice((long) i * Native.SOCKADDR_STORAGE, Native.SOCKADDR_STORAGE);
                int addressLength = Native.sockaddr(address, u.destination(), ipv6);
                if (addressLength < 0) {
                    if (i > 0) {
                        break; // sent with the next batch, as the first
                    }
                    unsent.poll().sent().resolve(Result.err(new NetError.Io(u.destination()
                            + ": an IPv4 socket cannot send to an IPv6 address")));
                    return 0;
                }
                int size = u.payload().size();
                MemorySegment.copy(MemorySegment.ofBuffer(u.payload().asReadOnlyBuffer()), 0, sendSlots, (long) i * SLOT, size);
                sendHeaders.set(ValueLayout.JAVA_INT, header + Native.MSG_NAMELEN, addressLength);
                sendIovecs.set(ValueLayout.JAVA_LONG, i * Native.IOVEC.byteSize() + Native.IOV_LEN, size);
                i++;
            }
            return i;
        }
    }

    /** recvmmsg(2), sendmmsg(2) and the layouts of their structures (Linux, LP64), bound at the first datagram. */
    static final class Native {
        private static final int AF_INET = 2;
        private static final int AF_INET6 = 10;
        private static final int MSG_DONTWAIT = 0x40;
        static final int SOCKADDR_STORAGE = 128;
        private static final int SOCKADDR_IN = 16;
        private static final int SOCKADDR_IN6 = 28;
        private static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

        /** {@code struct iovec}. */
        static final StructLayout IOVEC = MemoryLayout.structLayout(
                ValueLayout.ADDRESS.withName("iov_base"), ValueLayout.JAVA_LONG.withName("iov_len"));
        /** {@code struct mmsghdr}: a {@code struct msghdr} and the length the call received or sent. */
        static final StructLayout MMSGHDR = MemoryLayout.structLayout(
                ValueLayout.ADDRESS.withName("msg_name"),
                ValueLayout.JAVA_INT.withName("msg_namelen"), MemoryLayout.paddingLayout(4),
                ValueLayout.ADDRESS.withName("msg_iov"),
                ValueLayout.JAVA_LONG.withName("msg_iovlen"),
                ValueLayout.ADDRESS.withName("msg_control"),
                ValueLayout.JAVA_LONG.withName("msg_controllen"),
                ValueLayout.JAVA_INT.withName("msg_flags"), MemoryLayout.paddingLayout(4),
                ValueLayout.JAVA_INT.withName("msg_len"), MemoryLayout.paddingLayout(4));
        static final long IOV_LEN = offset(IOVEC, "iov_len");
        private static final long MSG_NAME = offset(MMSGHDR, "msg_name");
        static final long MSG_NAMELEN = offset(MMSGHDR, "msg_namelen");
        private static final long MSG_IOV = offset(MMSGHDR, "msg_iov");
        private static final long MSG_IOVLEN = offset(MMSGHDR, "msg_iovlen");
        static final long MSG_LEN = offset(MMSGHDR, "msg_len");

        private static final MethodHandle RECVMMSG = Libc.bind("recvmmsg",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.ADDRESS),
                Libc.CAPTURE);
        private static final MethodHandle SENDMMSG = Libc.bind("sendmmsg",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT),
                Libc.CAPTURE);

        private Native() {}

        private static long offset(StructLayout layout, String field) {
            return layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
        }

        /** Header {@code i} points at address {@code i}, iovec {@code i}, and through it slot {@code i}. */
        static void header(MemorySegment headers, int i, MemorySegment addresses, MemorySegment iovecs, MemorySegment slots) {
            MemorySegment iovec = iovecs.asSlice(i * IOVEC.byteSize(), IOVEC.byteSize());
            iovec.set(ValueLayout.ADDRESS, 0, slots.asSlice((long) i * SLOT, SLOT));
            iovec.set(ValueLayout.JAVA_LONG, IOV_LEN, SLOT);
            MemorySegment header = headers.asSlice(i * MMSGHDR.byteSize(), MMSGHDR.byteSize());
            header.set(ValueLayout.ADDRESS, MSG_NAME, addresses.asSlice((long) i * SOCKADDR_STORAGE, SOCKADDR_STORAGE));
            header.set(ValueLayout.JAVA_INT, MSG_NAMELEN, SOCKADDR_STORAGE);
            header.set(ValueLayout.ADDRESS, MSG_IOV, iovec);
            header.set(ValueLayout.JAVA_LONG, MSG_IOVLEN, 1L);
        }

        /** recvmmsg(2), not waiting: how many datagrams were read into the receive slots, or -1 (errno captured). */
        static int recvmmsg(int fd, Buffers buffers) {
            buffers.readyToReceive();
            try {
                return (int) RECVMMSG.invokeExact(buffers.receiveErrno, fd, buffers.receiveHeaders, BATCH, MSG_DONTWAIT,
                        MemorySegment.NULL);
            } catch (Throwable t) {
                throw new IllegalStateException("calling recvmmsg", t);
            }
        }

        /** sendmmsg(2), not waiting, of the first {@code count} send headers: how many left, or -1 (errno captured). */
        static int sendmmsg(int fd, Buffers buffers, int count) {
            try {
                return (int) SENDMMSG.invokeExact(buffers.sendErrno, fd, buffers.sendHeaders, count, MSG_DONTWAIT);
            } catch (Throwable t) {
                throw new IllegalStateException("calling sendmmsg", t);
            }
        }

        /**
         * Writes {@code endpoint} as a {@code sockaddr_in} (IPv4 socket) or {@code sockaddr_in6} (IPv6
         * socket; an IPv4 address as IPv4-mapped) and returns its length; -1 for an IPv6 address on
         * an IPv4 socket.
         */
        static int sockaddr(MemorySegment to, Endpoint endpoint, boolean ipv6) {
            byte[] address = endpoint.address().getAddress();
            if (!ipv6) {
                if (address.length != 4) {
                    return -1;
                }
                to.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
                to.set(PORT, 2, (short) endpoint.port());
                MemorySegment.copy(address, 0, to, ValueLayout.JAVA_BYTE, 4, 4);
                to.asSlice(8, 8).fill((byte) 0);
                return SOCKADDR_IN;
            }
            to.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET6);
            to.set(PORT, 2, (short) endpoint.port());
            to.set(ValueLayout.JAVA_INT, 4, 0); // flow information
            if (address.length == 4) {
                to.asSlice(8, 10).fill((byte) 0);
                to.set(ValueLayout.JAVA_SHORT_UNALIGNED, 18, (short) 0xffff);
                MemorySegment.copy(address, 0, to, ValueLayout.JAVA_BYTE, 20, 4);
                to.set(ValueLayout.JAVA_INT, 24, 0);
            } else {
                MemorySegment.copy(address, 0, to, ValueLayout.JAVA_BYTE, 8, 16);
                to.set(ValueLayout.JAVA_INT, 24, ((Inet6Address) endpoint.address()).getScopeId());
            }
            return SOCKADDR_IN6;
        }

        /**
         * The endpoint in the {@code sockaddr_in} or {@code sockaddr_in6} at {@code at} in {@code
         * from}; an IPv4-mapped IPv6 address as the IPv4 one.
         */
        static Endpoint endpoint(MemorySegment from, long at) {
            int family = from.get(ValueLayout.JAVA_SHORT, at);
            int port = Short.toUnsignedInt(from.get(PORT, at + 2));
            try {
                if (family == AF_INET) {
                    byte[] address = new byte[4];
                    MemorySegment.copy(from, ValueLayout.JAVA_BYTE, at + 4, address, 0, 4);
                    return new Endpoint(InetAddress.getByAddress(address), port);
                }
                byte[] address = new byte[16];
                MemorySegment.copy(from, ValueLayout.JAVA_BYTE, at + 8, address, 0, 16);
                int scope = from.get(ValueLayout.JAVA_INT, at + 24);
                // getByAddress gives the IPv4 address for an IPv4-mapped one, as Netty's channels did.
                InetAddress inet = scope == 0 ? InetAddress.getByAddress(address) : Inet6Address.getByAddress(null, address, scope);
                return new Endpoint(inet, port);
            } catch (UnknownHostException e) {
                throw new IllegalStateException("an address of 4 or 16 bytes is always valid", e);
            }
        }
    }
}
