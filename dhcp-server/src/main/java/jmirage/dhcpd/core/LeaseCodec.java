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
import jmirage.dns.Name;
import jmirage.dns.NameError;

/**
 * How lease records are written: one line each,
 * {@code v1 192.168.1.70 BOUND 1767225600 00:1d:72:80:e9:10 01001d7280e910} (address, state, end in
 * Unix seconds, MAC, client key in hex), and for a lease with a name in DNS
 * {@code v2 ... 01001d7280e910 alice.retreat.lan.} (the same fields, then the name). A lease without
 * a name is still written {@code v1}, so a store without names reads in an older server. A journal
 * entry or a snapshot is a run of such lines.
 */
public final class LeaseCodec {

    private LeaseCodec() {}

    public static String line(Lease lease) {
        String common = lease.address().getHostAddress() + " " + lease.state() + " " + lease.until().getEpochSecond() + " "
                + lease.mac() + " " + lease.client().value().hex();
        return lease.fqdn().map(n -> "v2 " + common + " " + n).orElse("v1 " + common);
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

    public static Result<Lease, LeaseRecordError> decodeLine(String line) {
        String[] f = line.split(" ");
        if (!(f.length == 6 && f[0].equals("v1") || f.length == 7 && f[0].equals("v2"))) {
            return Result.err(new LeaseRecordError.NotV1Record(line));
        }
        Optional<Name> fqdn = Optional.empty();
        if (f.length == 7) {
            // written by us from a checked host label (HostNames): an LDH name, absolute
            Result<Name, NameError> parsed = Name.parse(f[6]);
            if (!f[6].endsWith(".") || !(parsed instanceof Result.Ok<Name, NameError>(Name n)) || !HostNames.ldh(n)) {
                return Result.err(new LeaseRecordError.BadName(line, f[6]));
            }
            fqdn = Optional.of(n);
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
                Instant.ofEpochSecond(seconds), fqdn));
    }
}
