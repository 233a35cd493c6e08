package jmirage.net.nat;

import java.net.Inet4Address;
import jmirage.net.wire.ParseError;
import jmirage.net.wire.Wire;

/** Why the NAT table refused a packet. */
public sealed interface DropReason {

    /** The bytes are not a well-formed IPv4 datagram with a transport header we can read. */
    record Malformed(ParseError error) implements DropReason {}

    /** A fragment: the shell reassembles before translating (ports are in the first fragment only). */
    record Fragment() implements DropReason {}

    /** Neither TCP, UDP nor ICMP. */
    record UnsupportedProtocol(int protocol) implements DropReason {}

    /** An ICMP message that is neither an echo (query) nor an error we translate. */
    record UnsupportedIcmp(int type) implements DropReason {}

    /**
     * An outbound packet that may not open a mapping and has none: TCP without a lone SYN (a connection
     * begins with one, RFC 9293 3.5), an echo reply, an ICMP error about no known flow.
     */
    record NoMapping(int protocol) implements DropReason {}

    /** Every port of the range is in use towards this remote endpoint. */
    record PortsExhausted(int protocol, int remote, int remotePort) implements DropReason {}

    /** A port-forwarded flow whose private side is already mapped by another flow. */
    record ForwardConflict(PortForward forward) implements DropReason {}

    default String describe() {
        return switch (this) {
            case Malformed(ParseError error) -> "malformed packet: " + error;
            case Fragment() -> "fragment (not reassembled)";
            case UnsupportedProtocol(int protocol) -> "protocol " + protocol + " is not translated";
            case UnsupportedIcmp(int type) -> "ICMP type " + type + " is not translated";
            case NoMapping(int protocol) -> "protocol " + protocol + " packet with no mapping that may not open one";
            case PortsExhausted(int protocol, int remote, int port) -> "no free port for protocol " + protocol + " to "
                    + address(remote) + ":" + port;
            case ForwardConflict(PortForward forward) -> "forward of port " + forward.publicPort() + " to "
                    + forward.privateAddress().getHostAddress() + ":" + forward.privatePort() + " conflicts with a mapping";
        };
    }

    private static String address(int value) {
        Inet4Address a = Wire.ipv4(value);
        return a.getHostAddress();
    }
}
