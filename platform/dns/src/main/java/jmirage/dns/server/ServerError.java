package jmirage.dns.server;

import jmirage.core.net.NetError;

/** Why the server could not start serving. */
public sealed interface ServerError {
    /** The UDP port could not be bound. */
    record UdpPort(int port, NetError error) implements ServerError {}

    /** The TCP port (the UDP one's number) could not be listened on. */
    record TcpPort(int port, NetError error) implements ServerError {}

    default String describe() {
        return switch (this) {
            case UdpPort u -> "udp port " + u.port() + ": " + u.error().describe();
            case TcpPort t -> "tcp port " + t.port() + ": " + t.error().describe();
        };
    }
}
