package jmirage.core.net;

import java.net.InetAddress;
import java.util.List;
import java.util.function.Consumer;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;

/**
 * A TCP/IP stack, the device: host sockets on the host target, the platform's own stack over an
 * Ethernet device on the tap and sim targets. A service listens on ports of the stack's own
 * addresses; which addresses those are is the target's business (boot parameters).
 */
public interface Stack {

    /** The addresses this stack answers on. */
    List<InetAddress> addresses();

    /** Accepts connections on {@code port}; each accepted flow goes to {@code onAccept}, on the loop. */
    Promise<Result<TcpListener, NetError>> listenTcp(int port, Consumer<Flow> onAccept);

    Promise<Result<Flow, NetError>> connectTcp(Endpoint remote);

    /** Binds UDP {@code port} (0 for any free port); datagrams go to {@code onReceive}, on the loop. */
    Promise<Result<UdpSocket, NetError>> bindUdp(int port, Consumer<Datagram> onReceive);

    /** Closes every listener, socket and flow of this stack. */
    Promise<Unit> close();
}
