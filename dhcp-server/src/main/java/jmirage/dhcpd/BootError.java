package jmirage.dhcpd;

import java.net.InetAddress;
import java.util.List;
import jmirage.core.kv.Key;
import jmirage.core.kv.KvError;
import jmirage.core.net.NetError;
import jmirage.dhcpd.config.ConfigError;

/**
 * Why the server does not boot: {@link DhcpServer#start} turns it into the one line the runner prints
 * ({@link #describe()}).
 */
sealed interface BootError {

    /** A boot parameter outside what it may be. */
    record BadParameter(String parameter, String value, String allowed) implements BootError {}

    /** Nothing at the configuration's key: the server does not boot on a made-up pool (README). */
    record NoConfiguration(Key key) implements BootError {}

    record CannotReadConfiguration(Key key, KvError error) implements BootError {}

    record BadConfiguration(ConfigError error) implements BootError {}

    /** None of the stack's addresses lies in a declared subnet, and no --server-address was given. */
    record NoServerAddress(List<InetAddress> addresses) implements BootError {}

    record CannotBindUdp(int port, NetError error) implements BootError {}

    record CannotListenForLeasesPage(int port, NetError error) implements BootError {}

    record CannotLoadLeases(LeaseStoreError error) implements BootError {}

    default String describe() {
        return switch (this) {
            case BadParameter(String parameter, String value, String allowed) ->
                    parameter + " must be " + allowed + ", got '" + value + "'";
            case NoConfiguration(Key key) -> "no DHCP configuration: the store has nothing at '" + key + "'. Put an ISC-style"
                    + " dhcpd.conf there (see dhcp-server/README.md): with the default --kv dir:var/dhcp-server, copy it to"
                    + " var/dhcp-server/" + key + "; with --kv block:FILE, ./unikernel store put FILE " + key + " < dhcpd.conf";
            case CannotReadConfiguration(Key key, KvError e) -> "cannot read '" + key + "': " + e.describe();
            case BadConfiguration(ConfigError e) -> e.describe();
            case NoServerAddress(List<InetAddress> addresses) -> "none of this stack's addresses " + addresses
                    + " is in a declared subnet: give the server's address on the served link with --server-address";
            case CannotBindUdp(int port, NetError e) -> "udp port " + port + ": " + e.describe();
            case CannotListenForLeasesPage(int port, NetError e) ->
                    "leases page on tcp port " + port + ": " + e.describe() + " (--http-port 0 turns it off)";
            case CannotLoadLeases(LeaseStoreError e) -> e.describe();
        };
    }
}
