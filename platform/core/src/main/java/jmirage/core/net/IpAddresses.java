package jmirage.core.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import jmirage.core.Result;

/** IP address literals, parsed without ever asking a resolver. */
public final class IpAddresses {

    private IpAddresses() {}

    /** Parses an IPv4 or IPv6 literal; a host name is an error, not a lookup. */
    public static Result<InetAddress, AddressError> parse(String literal) {
        try {
            return Result.ok(InetAddress.ofLiteral(literal));
        } catch (IllegalArgumentException e) {
            return Result.err(new AddressError.NotAnAddress(literal));
        }
    }

    /** Parses an IPv4 literal; an IPv6 one is {@link AddressError.WrongFamily}. */
    public static Result<Inet4Address, AddressError> parseIpv4(String literal) {
        return parse(literal).flatMap(a -> a instanceof Inet4Address v4
                ? Result.ok(v4)
                : Result.err(new AddressError.WrongFamily(literal, 4)));
    }
}
