package jmirage.testkit;

import java.util.List;
import java.util.Optional;
import jmirage.core.net.IpPrefix;

/**
 * The names and addresses of a root test's link to a unikernel on a TAP interface: the TAP, the
 * network namespace that holds its Linux end, and a /24 chosen at random so that concurrent runs do
 * not clash. The Linux end is {@code .1} ({@link #linuxIp}), the unikernel {@code .2}
 * ({@link #ourIp}).
 */
public record TapLink(String tap, NetNamespace namespace, String subnet) {

    /** Fresh names ({@code tapPrefix} and {@code namespacePrefix} with one unique suffix) and a random /24 in {@code network16} ("10.81"). */
    public static TapLink random(String tapPrefix, String namespacePrefix, String network16) {
        String suffix = NetNamespace.uniqueSuffix();
        return new TapLink(tapPrefix + suffix, new NetNamespace(namespacePrefix + suffix), network16 + "." + NetNamespace.randomSubnet());
    }

    /** The address {@code host} in the link's /24, as {@code 10.81.7.host}. */
    public String address(int host) {
        return subnet + "." + host;
    }

    /** The Linux end of the TAP, in the namespace. */
    public String linuxIp() {
        return address(1);
    }

    /** The unikernel's own address on the TAP. */
    public String ourIp() {
        return address(2);
    }

    /** {@link #ourIp} with the /24, as the unikernel's static configuration takes it. */
    public IpPrefix ourPrefix() {
        return IpPrefix.parseIpv4WithLength(ourIp() + "/24").orElseThrow(e -> new IllegalStateException(e.describe()));
    }

    /** Adds the namespace. */
    public void create() {
        namespace.create();
    }

    /** {@code command} run inside the namespace, where the Linux end of the TAP is. */
    public List<String> exec(String... command) {
        return namespace.exec(command);
    }

    /** {@code command} run inside the namespace, where the Linux end of the TAP is. */
    public List<String> exec(List<String> command) {
        return namespace.exec(command);
    }

    /** Moves the TAP (opened by the test) into the namespace as its Linux end, {@link #linuxIp}/24, up. */
    public void adoptTap() {
        namespace.adoptTap(tap, Optional.of(linuxIp() + "/24"));
    }

    /** Removes the namespace (killing what still runs there) and the TAP if it is left in ours. */
    public void delete() {
        namespace.delete();
        Sh.quietly("ip", "link", "del", tap);
    }
}
