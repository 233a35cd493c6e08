package jmirage.dhcpd;

import java.net.InetAddress;
import java.util.List;
import java.util.stream.Collectors;
import jmirage.core.config.ConfigProblem;
import jmirage.core.net.NetError;

/**
 * Why the server does not boot: {@link DhcpServer#start} turns it into the one line the runner prints
 * ({@link #describe()}).
 */
sealed interface BootError {

    /**
     * The boot parameters or dhcpd.conf have problems ({@link ConfigCheck#read}, the same as
     * {@code ./unikernel check}); no configuration at all is one of them: the server does not boot
     * on a made-up pool (README).
     */
    record BadConfiguration(List<ConfigProblem> problems) implements BootError {
        public BadConfiguration {
            problems = List.copyOf(problems);
        }
    }

    /** None of the stack's addresses lies in a declared subnet, and no --server-address was given. */
    record NoServerAddress(List<InetAddress> addresses) implements BootError {}

    record CannotBindUdp(int port, NetError error) implements BootError {}

    record CannotListenForLeasesPage(int port, NetError error) implements BootError {}

    record CannotLoadLeases(LeaseStoreError error) implements BootError {}

    default String describe() {
        return switch (this) {
            case BadConfiguration(List<ConfigProblem> problems) ->
                    problems.stream().map(ConfigProblem::describe).collect(Collectors.joining("; "));
            case NoServerAddress(List<InetAddress> addresses) -> "none of this stack's addresses " + addresses
                    + " is in a declared subnet: give the server's address on the served link with --server-address";
            case CannotBindUdp(int port, NetError e) -> "udp port " + port + ": " + e.describe();
            case CannotListenForLeasesPage(int port, NetError e) ->
                    "leases page on tcp port " + port + ": " + e.describe() + " (--http-port 0 turns it off)";
            case CannotLoadLeases(LeaseStoreError e) -> e.describe();
        };
    }
}
