package jmirage.authoritative.transfer;

import java.net.InetAddress;
import java.util.Objects;
import jmirage.core.Result;
import jmirage.core.net.IpAddresses;

/** An address prefix ({@code 192.0.2.0/24}, {@code 2001:db8::/32}, or one address), for address lists. */
public record Prefix(InetAddress network, int length) {

    public Prefix {
        Objects.requireNonNull(network);
        int max = network.getAddress().length * 8;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length " + length + " out of 0.." + max);
        }
    }

    public static Result<Prefix, String> parse(String text) {
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        return IpAddresses.parse(host).mapError(jmirage.core.net.AddressError::describe).flatMap(a -> {
            int max = a.getAddress().length * 8;
            int len = max;
            if (slash >= 0) {
                try {
                    len = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    return Result.err("bad prefix length in " + text);
                }
                if (len < 0 || len > max) {
                    return Result.err("prefix length out of 0.." + max + " in " + text);
                }
            }
            return Result.ok(new Prefix(a, len));
        });
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
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

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + length;
    }
}
