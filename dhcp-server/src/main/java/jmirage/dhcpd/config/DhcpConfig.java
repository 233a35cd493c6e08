package jmirage.dhcpd.config;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.net.wire.Wire;

/**
 * What {@code dhcpd.conf} says, as data: the subnets the server hands addresses out on, each with
 * its ranges, options and lease times, and the static hosts. Option values are already encoded for
 * the wire (RFC 2132), keyed by option code, in the order they were written; and the dynamic DNS
 * updates, when {@code ddns-update-style standard;} asks for them.
 */
public record DhcpConfig(List<Subnet> subnets, List<Host> hosts, Optional<Ddns> ddns) {

    public DhcpConfig {
        subnets = List.copyOf(subnets);
        hosts = List.copyOf(hosts);
    }

    /** A configuration that sends no DNS updates. */
    public DhcpConfig(List<Subnet> subnets, List<Host> hosts) {
        this(subnets, hosts, Optional.empty());
    }

    /** A subnet: its network, the dynamic ranges, the options (global ones merged in) and the lease times. */
    public record Subnet(IpPrefix network, List<Range> ranges, Map<Integer, Bytes> options, Duration defaultLease,
            Duration maxLease) {
        public Subnet {
            ranges = List.copyOf(ranges);
            options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
        }

        public boolean contains(Inet4Address address) {
            return network.contains(address);
        }

        public boolean inRange(Inet4Address address) {
            int a = Wire.ipv4ToInt(address);
            return ranges.stream().anyMatch(r -> r.contains(a));
        }

        public int poolSize() {
            return ranges.stream().mapToInt(Range::size).sum();
        }
    }

    /** Inclusive range of addresses, as unsigned ints. */
    public record Range(int first, int last) {
        public Range {
            if (Integer.compareUnsigned(first, last) > 0) {
                throw new IllegalArgumentException("range ends before it starts");
            }
        }

        public boolean contains(int address) {
            return Integer.compareUnsigned(address, first) >= 0 && Integer.compareUnsigned(address, last) <= 0;
        }

        public int size() {
            return last - first + 1;
        }

        @Override
        public String toString() {
            return Wire.ipv4(first).getHostAddress() + "-" + Wire.ipv4(last).getHostAddress();
        }
    }

    /** A static host (ISC {@code host}): matched by hardware address or client identifier (option 61). */
    public record Host(String name, Optional<MacAddress> mac, Optional<Bytes> clientId, Inet4Address fixedAddress,
            Map<Integer, Bytes> options) {
        public Host {
            options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
        }
    }

    /** The subnet whose network holds {@code address}. */
    public Optional<Subnet> subnetOf(Inet4Address address) {
        return subnets.stream().filter(s -> s.contains(address)).findFirst();
    }

    /** The static host for this client: by client identifier first, then by hardware address. */
    public Optional<Host> hostFor(Optional<Bytes> clientId, MacAddress mac) {
        if (clientId.isPresent()) {
            Optional<Host> byId = hosts.stream().filter(h -> h.clientId().equals(clientId)).findFirst();
            if (byId.isPresent()) {
                return byId;
            }
        }
        return hosts.stream().filter(h -> h.mac().isPresent() && h.mac().get().equals(mac)).findFirst();
    }
}
