package jmirage.net.nat;

import java.net.Inet4Address;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A NAT table's configuration: the public address it translates to, how many mappings it holds at
 * most, the ports (and ICMP identifiers) it hands out, timeouts, port forwards, and the seed of its
 * port choice (the shell takes it from the {@code Random} device; the table itself stays deterministic).
 *
 * <p>The default port range, 1024 to 49151, leaves the ephemeral ports (RFC 6335 6: 49152 to 65535)
 * to the unikernel's own stack on the same address. The ports below 1024 are never allocated.
 */
public record NatConfig(Inet4Address publicAddress, int capacity, int portLow, int portHigh, NatTimeouts timeouts,
        List<PortForward> forwards, long seed) {

    public static final int DEFAULT_CAPACITY = 8192;
    public static final int DEFAULT_PORT_LOW = 1024;
    public static final int DEFAULT_PORT_HIGH = 49151;

    public NatConfig {
        if (capacity < 1) {
            throw new IllegalArgumentException("a NAT table holds at least one mapping, not " + capacity);
        }
        if (portLow < 1024 || portHigh > 65535 || portLow > portHigh) {
            throw new IllegalArgumentException("NAT port range " + portLow + "-" + portHigh + " is not within 1024-65535");
        }
        forwards = List.copyOf(forwards);
        Set<Long> seen = new HashSet<>();
        for (PortForward f : forwards) {
            if (!seen.add(((long) f.protocol() << 16) | f.publicPort())) {
                throw new IllegalArgumentException("port " + f.publicPort() + " is forwarded twice");
            }
        }
    }

    /** The defaults for {@code publicAddress}: 8192 mappings, ports 1024-49151, {@link NatTimeouts#DEFAULT}, no forwards. */
    public static NatConfig of(Inet4Address publicAddress, long seed) {
        return new NatConfig(publicAddress, DEFAULT_CAPACITY, DEFAULT_PORT_LOW, DEFAULT_PORT_HIGH, NatTimeouts.DEFAULT,
                List.of(), seed);
    }

    public NatConfig withCapacity(int newCapacity) {
        return new NatConfig(publicAddress, newCapacity, portLow, portHigh, timeouts, forwards, seed);
    }

    public NatConfig withPorts(int low, int high) {
        return new NatConfig(publicAddress, capacity, low, high, timeouts, forwards, seed);
    }

    public NatConfig withTimeouts(NatTimeouts newTimeouts) {
        return new NatConfig(publicAddress, capacity, portLow, portHigh, newTimeouts, forwards, seed);
    }

    public NatConfig withForwards(List<PortForward> newForwards) {
        return new NatConfig(publicAddress, capacity, portLow, portHigh, timeouts, newForwards, seed);
    }
}
