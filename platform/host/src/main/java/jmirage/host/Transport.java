package jmirage.host;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/** The Netty transport of the host target: epoll where its native library loads, NIO elsewhere. */
record Transport(
        IoHandlerFactory ioHandlerFactory,
        Class<? extends ServerSocketChannel> serverSocket,
        Class<? extends SocketChannel> socket,
        Class<? extends DatagramChannel> datagram) {

    static Transport detect() {
        return Epoll.isAvailable() ? epoll() : nio();
    }

    static Transport epoll() {
        return new Transport(EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
                EpollSocketChannel.class, EpollDatagramChannel.class);
    }

    static Transport nio() {
        return new Transport(NioIoHandler.newFactory(), NioServerSocketChannel.class,
                NioSocketChannel.class, NioDatagramChannel.class);
    }
}
