package jmirage.host;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoEventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.net.Datagram;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.NetError;
import jmirage.core.net.Stack;
import jmirage.core.net.TcpListener;
import jmirage.core.net.UdpSocket;

/**
 * The host's sockets as a {@link Stack}, through Netty, on the loop of a {@link HostScheduler}.
 * Listeners and UDP sockets bind the one address given at boot ({@code --listen}); outgoing
 * connections leave from whatever address the host routes them through. Call every method on the
 * loop: promises belong to it.
 */
public final class HostStack implements Stack {

    /** A UDP datagram carries at most 65,507 bytes over IPv4; Netty's default buffer would cut at 2 KiB. */
    private static final int MAX_DATAGRAM = 65_536;
    /** Datagrams written in one burst or turn beyond which a flush happens at once (Netty's default). */
    private static final int FLUSH_AT_THE_LATEST_AFTER = FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES;

    private final HostScheduler scheduler;
    private final InetAddress address;
    private final List<InetAddress> addresses;
    /** Every channel opened, until it closes: what {@link #close} closes. */
    private final ChannelGroup channels;
    /** The UDP sockets of our own that are open (on epoll), and the memory they share. */
    private final Set<EpollUdpSocket> udpSockets = new HashSet<>();
    private EpollUdpSocket.Buffers udpBuffers;
    private boolean closed;

    public HostStack(HostScheduler scheduler, InetAddress address) {
        this.scheduler = scheduler;
        this.address = address;
        this.addresses = answeringAddresses(address);
        this.channels = new DefaultChannelGroup("host-stack", scheduler.eventLoop());
    }

    /** A stack on 127.0.0.1, the default of {@code --listen}. */
    public static HostStack loopback(HostScheduler scheduler) {
        return new HostStack(scheduler, InetAddress.getLoopbackAddress());
    }

    @Override
    public List<InetAddress> addresses() {
        return addresses;
    }

    @Override
    public Promise<Result<TcpListener, NetError>> listenTcp(int port, Consumer<Flow> onAccept) {
        requireLoop();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(scheduler.group())
                .channel(scheduler.transport().serverSocket())
                // A restarted unikernel binds again while the old connections sit in TIME_WAIT.
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (track(channel)) {
                            channel.pipeline().addLast(new TcpFlow(channel, onAccept));
                        }
                    }
                });
        return opened(bootstrap.bind(address, port), new Endpoint(address, port),
                channel -> new Listener(endpoint(channel.localAddress()), channel));
    }

    @Override
    public Promise<Result<Flow, NetError>> connectTcp(Endpoint remote) {
        requireLoop();
        Bootstrap bootstrap = new Bootstrap()
                .group(scheduler.group())
                .channel(scheduler.transport().socket())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (track(channel)) {
                            channel.pipeline().addLast(new TcpFlow(channel, flow -> {}));
                        }
                    }
                });
        return opened(bootstrap.connect(remote.address(), remote.port()), remote,
                channel -> channel.pipeline().get(TcpFlow.class));
    }

    @Override
    public Promise<Result<UdpSocket, NetError>> bindUdp(int port, Consumer<Datagram> onReceive) {
        requireLoop();
        if (scheduler.transport().ownDatagrams()) {
            return bindOwnUdp(port, onReceive);
        }
        Bootstrap bootstrap = new Bootstrap()
                .group(scheduler.group())
                .channel(NioDatagramChannel.class)
                // So a service may send to 255.255.255.255 (a DHCP server's replies, RFC 2131 4.1); a
                // socket bound to 0.0.0.0 receives broadcasts without it.
                .option(ChannelOption.SO_BROADCAST, true)
                .option(ChannelOption.ALLOCATOR, Transport.DATAGRAM_BUFFERS)
                .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        // Sends flush once per read or loop turn, not once per datagram.
                        channel.pipeline().addLast(
                                new FlushConsolidationHandler(FLUSH_AT_THE_LATEST_AFTER, true),
                                new UdpReceiver(onReceive));
                    }
                });
        return opened(bootstrap.bind(address, port), new Endpoint(address, port),
                channel -> new UdpPort(endpoint(channel.localAddress()), channel));
    }

    /** On epoll's loop: a socket of our own that the loop watches ({@link EpollUdpSocket}). */
    private Promise<Result<UdpSocket, NetError>> bindOwnUdp(int port, Consumer<Datagram> onReceive) {
        if (closed) {
            return Promise.resolved(Result.err(new NetError.Closed()));
        }
        return EpollUdpSocket.open(address, port, this::udpBuffers, onReceive, (IoEventLoop) scheduler.eventLoop(), udpSockets::remove)
                .map(opened -> {
                    if (opened instanceof Result.Ok<EpollUdpSocket, NetError>(EpollUdpSocket socket)) {
                        if (closed) { // the stack closed while the loop registered the socket
                            socket.close();
                            return Result.err(new NetError.Closed());
                        }
                        udpSockets.add(socket);
                    }
                    return opened.map(socket -> socket);
                });
    }

    /** Closes every listener, UDP socket and flow at once; queued TCP writes are dropped (a UDP socket writes what the kernel takes first). */
    @Override
    public Promise<Unit> close() {
        requireLoop();
        closed = true;
        for (EpollUdpSocket socket : List.copyOf(udpSockets)) {
            socket.close();
        }
        if (udpBuffers != null) {
            udpBuffers.free();
            udpBuffers = null;
        }
        Promise<Unit> done = Promise.pending();
        channels.close().addListener(all -> done.resolve(Unit.UNIT));
        return done;
    }

    static Endpoint endpoint(SocketAddress socketAddress) {
        InetSocketAddress inet = (InetSocketAddress) socketAddress;
        return new Endpoint(inet.getAddress(), inet.getPort());
    }

    private EpollUdpSocket.Buffers udpBuffers() {
        if (udpBuffers == null) {
            udpBuffers = new EpollUdpSocket.Buffers();
        }
        return udpBuffers;
    }

    /** Adds {@code channel} to those {@link #close} closes, or closes it if the stack is closed. */
    private boolean track(Channel channel) {
        if (closed) {
            channel.close();
            return false;
        }
        channels.add(channel);
        return true;
    }

    /** Settles with the opened channel, wrapped, once the bind or connect is done. */
    private <T> Promise<Result<T, NetError>> opened(ChannelFuture opening, Endpoint endpoint, Function<Channel, T> wrap) {
        Promise<Result<T, NetError>> result = Promise.pending();
        opening.addListener((ChannelFuture done) -> {
            if (done.isSuccess() && track(done.channel())) {
                result.resolve(Result.ok(wrap.apply(done.channel())));
            } else if (done.isSuccess()) {
                result.resolve(Result.err(new NetError.Closed()));
            } else {
                result.resolve(Result.err(Failures.net(done.cause(), endpoint)));
            }
        });
        return result;
    }

    private void requireLoop() {
        if (!scheduler.inLoop()) {
            throw new IllegalStateException("HostStack used off its loop");
        }
    }

    /**
     * The addresses a socket bound to {@code address} answers on: the address itself, or for the
     * wildcard every address of the host's interfaces (IPv4 ones only for 0.0.0.0).
     */
    private static List<InetAddress> answeringAddresses(InetAddress address) {
        if (!address.isAnyLocalAddress()) {
            return List.of(address);
        }
        try {
            return NetworkInterface.networkInterfaces()
                    .flatMap(NetworkInterface::inetAddresses)
                    .filter(a -> !(address instanceof Inet4Address) || a instanceof Inet4Address)
                    .toList();
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list the host's network interfaces", e);
        }
    }

    private record Listener(Endpoint local, Channel channel) implements TcpListener {
        @Override
        public Promise<Unit> close() {
            return closing(channel);
        }
    }

    private record UdpPort(Endpoint local, Channel channel) implements UdpSocket {
        @Override
        public Promise<Result<Unit, NetError>> send(Endpoint destination, Bytes payload) {
            if (payload.size() == 0) {
                // Netty never sends an empty datagram (either transport reports it written and skips
                // it), and among several flushed at once (sendmmsg) it would send another one twice
                // in its place: it is not handed to Netty at all.
                return Promise.resolved(Result.ok());
            }
            Promise<Result<Unit, NetError>> sent = Promise.pending();
            // Netty owns the packet from here and releases it once sent or failed. The flush is
            // consolidated (see bindUdp): the promise settles when the burst's flush has written it.
            DatagramPacket packet = new DatagramPacket(Unpooled.wrappedBuffer(payload.asReadOnlyBuffer()),
                    new InetSocketAddress(destination.address(), destination.port()));
            channel.writeAndFlush(packet).addListener(done -> sent.resolve(
                    done.isSuccess() ? Result.ok() : Result.err(Failures.net(done.cause(), destination))));
            return sent;
        }

        @Override
        public Promise<Unit> close() {
            return closing(channel);
        }
    }

    private static Promise<Unit> closing(Channel channel) {
        Promise<Unit> done = Promise.pending();
        channel.close().addListener(closed -> done.resolve(Unit.UNIT));
        return done;
    }

    /** Hands each datagram to the service as {@link Bytes}; the packet is released before that. */
    private static final class UdpReceiver extends ChannelInboundHandlerAdapter {
        private final Consumer<Datagram> onReceive;

        UdpReceiver(Consumer<Datagram> onReceive) {
            this.onReceive = onReceive;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket packet = (DatagramPacket) msg;
            if (!ctx.channel().isOpen()) {
                packet.release(); // the rest of a read closed during it: a closed socket delivers nothing
                return;
            }
            Datagram datagram;
            try {
                datagram = new Datagram(endpoint(packet.sender()), endpoint(packet.recipient()),
                        Bytes.adopt(ByteBufUtil.getBytes(packet.content())));
            } finally {
                packet.release();
            }
            onReceive.accept(datagram);
        }
    }
}
