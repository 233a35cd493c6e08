package jmirage.authoritative.certify;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP forwarder a test switches off and on: while {@link #down()}, connections to it are refused,
 * as to a server that is not running. Bytes pass unchanged (TLS goes through end to end).
 */
final class Forwarder implements AutoCloseable {

    private final InetSocketAddress listen;
    private final InetSocketAddress target;
    private ServerSocket server;

    Forwarder(InetSocketAddress listen, InetSocketAddress target) {
        this.listen = listen;
        this.target = target;
    }

    synchronized void up() {
        if (server != null) {
            return;
        }
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(listen);
            server = s;
            Thread.ofVirtual().start(() -> accept(s));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized void down() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing a listening socket: nothing to do about a failure
            }
            server = null;
        }
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                Thread.ofVirtual().start(() -> pump(client, upstream));
                Thread.ofVirtual().start(() -> pump(upstream, client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ended) {
            // one side closed: close both below
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() {
        down();
    }
}
