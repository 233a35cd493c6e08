package jmirage.dhcpd.core;

import java.net.Inet4Address;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.AddressError;
import jmirage.core.net.IpAddresses;
import jmirage.core.net.MacAddress;
import jmirage.net.wire.Wire;

/**
 * How lease records are written: one line each,
 * {@code v1 192.168.1.70 BOUND 1767225600 00:1d:72:80:e9:10 01001d7280e910} (address, state, end in
 * Unix seconds, MAC, client key in hex). A journal entry or a snapshot is a run of such lines.
 */
public final class LeaseCodec {

    private LeaseCodec() {}

    public static String line(Lease lease) {
        return append(new StringBuilder(80), lease).toString();
    }

    public static Bytes encode(Iterable<Lease> leases) {
        StringBuilder b = new StringBuilder();
        for (Lease l : leases) {
            append(b, l).append('\n');
        }
        return Bytes.utf8(b.toString());
    }

    /**
     * One record's line, written straight into {@code b}: the MAC and the client key as hex digits
     * here rather than by {@code MacAddress.toString} (a {@code String.format} per byte), which was
     * 7% of the event loop's samples at 3,000 leases/s; the same text.
     */
    private static StringBuilder append(StringBuilder b, Lease lease) {
        int a = Wire.ipv4ToInt(lease.address());
        b.append("v1 ").append(a >>> 24).append('.').append((a >>> 16) & 0xff).append('.').append((a >>> 8) & 0xff)
                .append('.').append(a & 0xff).append(' ').append(lease.state().name()).append(' ')
                .append(lease.until().getEpochSecond()).append(' ');
        long mac = lease.mac().value();
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                b.append(':');
            }
            hex(b, (int) (mac >>> (40 - 8 * i)));
        }
        b.append(' ');
        Bytes client = lease.client().value();
        for (int i = 0; i < client.size(); i++) {
            hex(b, client.getUnsigned(i));
        }
        return b;
    }

    private static void hex(StringBuilder b, int octet) {
        b.append(DIGITS[(octet >>> 4) & 0xf]).append(DIGITS[octet & 0xf]);
    }

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

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

    public static Result<Lease, LeaseRecordError> decodeLine(String line) {
        String[] f = line.split(" ");
        if (f.length != 6 || !f[0].equals("v1")) {
            return Result.err(new LeaseRecordError.NotV1Record(line));
        }
        Inet4Address address;
        switch (IpAddresses.parseIpv4(f[1])) {
            case Result.Ok<Inet4Address, AddressError>(Inet4Address a) -> address = a;
            case Result.Err<Inet4Address, AddressError>(AddressError e) -> {
                return Result.err(new LeaseRecordError.BadAddress(line, e));
            }
        }
        Optional<Lease.State> state = Arrays.stream(Lease.State.values()).filter(s -> s.name().equals(f[2])).findFirst();
        if (state.isEmpty()) {
            return Result.err(new LeaseRecordError.UnknownState(line, f[2]));
        }
        if (!f[3].matches("-?[0-9]{1,18}")) {
            return Result.err(new LeaseRecordError.BadEnd(line, f[3]));
        }
        long seconds = Long.parseLong(f[3]);
        if (seconds < Instant.MIN.getEpochSecond() || seconds > Instant.MAX.getEpochSecond()) {
            return Result.err(new LeaseRecordError.BadEnd(line, f[3]));
        }
        MacAddress mac;
        switch (MacAddress.parse(f[4])) {
            case Result.Ok<MacAddress, AddressError>(MacAddress m) -> mac = m;
            case Result.Err<MacAddress, AddressError>(AddressError e) -> {
                return Result.err(new LeaseRecordError.BadHardwareAddress(line, e));
            }
        }
        if (!f[5].matches("([0-9a-fA-F]{2})+")) {
            return Result.err(new LeaseRecordError.BadClientKey(line, f[5]));
        }
        return Result.ok(new Lease(address, new ClientKey(Bytes.fromHex(f[5])), mac, state.get(),
                Instant.ofEpochSecond(seconds)));
    }
}
