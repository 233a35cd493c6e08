package jmirage.core.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import jmirage.core.Result;

/**
 * An IP address with a prefix length: {@code 192.0.2.0/24}, {@code 2001:db8::/32}, or an interface's
 * address with its subnet, {@code 10.77.0.2/24}. The address is kept as written (it may have host
 * bits set, as an interface address does); {@link #network()} clears them. One address alone is
 * the prefix of full length ({@link #host}).
 */
public record IpPrefix(InetAddress address, int length) {

    public IpPrefix {
        Objects.requireNonNull(address, "address");
        if (length < 0 || length > bits(address)) {
            throw new IllegalArgumentException("prefix length " + length + " out of 0.." + bits(address));
        }
    }

    /** The prefix that holds {@code address} alone. */
    public static IpPrefix host(InetAddress address) {
        return new IpPrefix(address, bits(address));
    }

    /** {@code address} with the host bits beyond {@code length} cleared: the unit a rate limiter counts in. */
    public static IpPrefix of(InetAddress address, int length) {
        return new IpPrefix(address, length).network();
    }

    /** Parses {@code ADDRESS/LENGTH}, or a bare address as the prefix of full length. */
    public static Result<IpPrefix, AddressError> parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return IpAddresses.parse(text).map(IpPrefix::host);
        }
        return withLength(text, slash);
    }

    /** Parses {@code ADDRESS/LENGTH} where the length is required and the address is IPv4: an interface address. */
    public static Result<IpPrefix, AddressError> parseIpv4WithLength(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return Result.err(new AddressError.MissingPrefixLength(text));
        }
        return withLength(text, slash).flatMap(p -> p.isIpv4()
                ? Result.ok(p)
                : Result.err(new AddressError.WrongFamily(text, 4)));
    }

    private static Result<IpPrefix, AddressError> withLength(String text, int slash) {
        return IpAddresses.parse(text.substring(0, slash)).flatMap(a -> {
            String digits = text.substring(slash + 1);
            int max = bits(a);
            if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Result.err(new AddressError.BadPrefixLength(text, max));
            }
            int length = Integer.parseInt(digits);
            return length > max
                    ? Result.err(new AddressError.BadPrefixLength(text, max))
                    : Result.ok(new IpPrefix(a, length));
        });
    }

    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    /** Whether {@code other} lies in this prefix; an address of the other family never does. */
    public boolean contains(InetAddress other) {
        byte[] a = other.getAddress();
        byte[] n = address.getAddress();
        if (a.length != n.length) {
            return false;
        }
        int full = length / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != n[i]) {
                return false;
            }
        }
        int rest = length % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (n[full] & mask);
    }

    /** The prefix with its host bits cleared ({@code 10.77.0.2/24} gives {@code 10.77.0.0/24}). */
    public IpPrefix network() {
        byte[] bytes = masked(false);
        return new IpPrefix(fromBytes(bytes), length);
    }

    /** The last address of the prefix: for IPv4, the subnet's directed broadcast address. */
    public InetAddress last() {
        return fromBytes(masked(true));
    }

    private byte[] masked(boolean setHostBits) {
        byte[] bytes = address.getAddress();
        for (int bit = length; bit < bytes.length * 8; bit++) {
            int mask = 0x80 >>> (bit % 8);
            bytes[bit / 8] = (byte) (setHostBits ? bytes[bit / 8] | mask : bytes[bit / 8] & ~mask);
        }
        return bytes;
    }

    private static InetAddress fromBytes(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    private static int bits(InetAddress address) {
        return address.getAddress().length * 8;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + length;
    }
}
