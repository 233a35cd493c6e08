package jmirage.dhcpd.core;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.IpAddresses;
import jmirage.core.net.MacAddress;

/**
 * How lease records are written: one line each,
 * {@code v1 192.168.1.70 BOUND 1767225600 00:1d:72:80:e9:10 01001d7280e910} (address, state, end in
 * Unix seconds, MAC, client key in hex). A journal entry or a snapshot is a run of such lines.
 */
public final class LeaseCodec {

    private LeaseCodec() {}

    public static String line(Lease lease) {
        return "v1 " + lease.address().getHostAddress() + " " + lease.state() + " " + lease.until().getEpochSecond() + " "
                + lease.mac() + " " + lease.client().value().hex();
    }

    public static Bytes encode(Iterable<Lease> leases) {
        StringBuilder b = new StringBuilder();
        for (Lease l : leases) {
            b.append(line(l)).append('\n');
        }
        return Bytes.utf8(b.toString());
    }

    /** The non-blank lines of a journal entry or snapshot. */
    public static List<String> lines(Bytes value) {
        List<String> out = new ArrayList<>();
        for (String line : value.toUtf8().split("\n")) {
            if (!line.isBlank()) {
                out.add(line.trim());
            }
        }
        return out;
    }

    public static Result<Lease, String> decodeLine(String line) {
        String[] f = line.split(" ");
        if (f.length != 6 || !f[0].equals("v1")) {
            return Result.err("not a v1 lease record: '" + line + "'");
        }
        if (!(IpAddresses.parseIpv4(f[1]) instanceof Result.Ok<Inet4Address, ?>(Inet4Address address))) {
            return Result.err("not an IPv4 address in '" + line + "'");
        }
        try {
            Lease.State state = Lease.State.valueOf(f[2]);
            Instant until = Instant.ofEpochSecond(Long.parseLong(f[3]));
            if (!(MacAddress.parse(f[4]) instanceof Result.Ok<MacAddress, ?>(MacAddress mac)) || f[5].isEmpty()) {
                return Result.err("bad hardware address or client in '" + line + "'");
            }
            return Result.ok(new Lease(address, new ClientKey(Bytes.fromHex(f[5])), mac, state, until));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return Result.err("bad field in '" + line + "': " + e.getMessage());
        }
    }
}
