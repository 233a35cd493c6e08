package jmirage.core.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;
import jmirage.core.Result;

/** An IP address and a port. The address is typed (Inet4Address or Inet6Address), never a name. */
public record Endpoint(InetAddress address, int port) {

    public Endpoint {
        Objects.requireNonNull(address);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Parses {@code 127.0.0.1:7} or {@code [::1]:7}; never resolves names. */
    public static Result<Endpoint, AddressError> parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            return Result.err(new AddressError.MissingPort(text));
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String digits = text.substring(colon + 1);
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(digits) > 65535) {
            return Result.err(new AddressError.BadPort(text));
        }
        int port = Integer.parseInt(digits);
        return IpAddresses.parse(host).map(a -> new Endpoint(a, port));
    }

    /**
     * Parses {@code IP}, {@code IP:PORT}, {@code [IPv6]:PORT} or a bare IPv6 address (which has more
     * than one colon, so none of them is a port); without a port, {@code defaultPort}. Never
     * resolves names.
     */
    public static Result<Endpoint, AddressError> parse(String text, int defaultPort) {
        if (text.startsWith("[") || text.chars().filter(c -> c == ':').count() == 1) {
            return parse(text);
        }
        return IpAddresses.parse(text).map(a -> new Endpoint(a, defaultPort));
    }

    @Override
    public String toString() {
        String host = address.getHostAddress();
        return (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
    }
}
