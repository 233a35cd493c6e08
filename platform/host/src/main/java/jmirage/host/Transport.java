package jmirage.host;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The Netty transport of the host target: epoll where its native library loads, NIO elsewhere. With
 * {@code ownDatagrams} (epoll), UDP sockets are the host's own ({@link EpollUdpSocket}) on epoll's
 * loop; otherwise Netty's NIO datagram channels.
 */
record Transport(
        IoHandlerFactory ioHandlerFactory,
        Class<? extends ServerSocketChannel> serverSocket,
        Class<? extends SocketChannel> socket,
        boolean ownDatagrams) {

    /**
     * Where NIO's UDP sockets take their read buffers (and the direct copies of what they send). Netty's
     * default, adaptive allocator does not pool buffers of 64 KiB and more when the JVM's heap is at
     * most 512 MiB, as every unikernel's declared heap is: each read then allocated and zeroed a
     * fresh direct buffer, 20-45 us (measured with Netty 4.2.18 and -Xmx256m: 22 us for 64 KiB, 46
     * us for 256 KiB, against 0.8-1.2 us from this pool), a fifth of a DNS server's CPU per query. One
     * direct arena of 4 MiB chunks (8 KiB pages, order 9), no thread caches: the event loops share it,
     * and a read buffer goes back to it when the datagrams cut from it are released.
     */
    static final ByteBufAllocator DATAGRAM_BUFFERS = new PooledByteBufAllocator(true, 0, 1, 8192, 9, 0, 0, false);

    static Transport detect() {
        return Epoll.isAvailable() ? epoll() : nio();
    }

    static Transport epoll() {
        return new Transport(EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
                EpollSocketChannel.class, true);
    }

    static Transport nio() {
        return new Transport(NioIoHandler.newFactory(), NioServerSocketChannel.class,
                NioSocketChannel.class, false);
    }
}
