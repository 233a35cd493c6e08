package jmirage.core.net;

import java.net.InetAddress;
import jmirage.core.Result;

/** IP address literals, parsed without ever asking a resolver. */
public final class IpAddresses {

    private IpAddresses() {}

    /** Parses an IPv4 or IPv6 literal; a host name is an error, not a lookup. */
    public static Result<InetAddress, String> parse(String literal) {
        try {
            return Result.ok(InetAddress.ofLiteral(literal));
        } catch (IllegalArgumentException e) {
            return Result.err("not an IP address: " + literal);
        }
    }
}
