package jmirage.net;

import java.net.Inet4Address;
import java.util.Objects;
import jmirage.core.Result;
import jmirage.core.net.IpAddresses;
import jmirage.net.wire.Wire;

/** An IPv4 address with its prefix length, as {@code 10.77.0.2/24}: the host's address and its subnet. */
public record Ipv4Cidr(Inet4Address address, int prefixLength) {

    public Ipv4Cidr {
        Objects.requireNonNull(address);
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
        }
    }

    public static Result<Ipv4Cidr, String> parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return Result.err("expected ADDRESS/PREFIX, got " + text);
        }
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            return Result.err("bad prefix length in " + text);
        }
        if (prefix < 0 || prefix > 32) {
            return Result.err("prefix length out of range in " + text);
        }
        return IpAddresses.parse(text.substring(0, slash)).mapError(jmirage.core.net.AddressError::describe).flatMap(a -> a instanceof Inet4Address v4
                ? Result.ok(new Ipv4Cidr(v4, prefix))
                : Result.err("not an IPv4 address in " + text));
    }

    public int mask() {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    public boolean contains(Inet4Address other) {
        return (Wire.ipv4ToInt(other) & mask()) == (Wire.ipv4ToInt(address) & mask());
    }

    /** The directed broadcast address of the subnet. */
    public Inet4Address broadcast() {
        return Wire.ipv4(Wire.ipv4ToInt(address) | ~mask());
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength;
    }
}
