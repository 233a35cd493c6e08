package jmirage.resolver.policy;

import jmirage.dns.NameError;

/** Why a line of a hosts file (hosts(5), or a list of names one a line) was refused; {@code line} counts from 1. */
public sealed interface HostsError {

    int line();

    /** A line of several fields whose first is not an IPv4 or IPv6 address. */
    record BadAddress(int line, String text) implements HostsError {}

    /** A host name that is not a domain name (an empty label, a label over 63 bytes, not ASCII...). */
    record BadName(int line, String text, NameError error) implements HostsError {}

    /** An address with no name after it. */
    record AddressWithoutName(int line, String address) implements HostsError {}

    /** Local data needs an address for each name; a line of names alone only fits a blocklist. */
    record NameWithoutAddress(int line, String name) implements HostsError {}

    /** An IPv6 address with a zone ({@code fe80::1%lo0}): it has no meaning to other hosts. */
    record ScopedAddress(int line, String address) implements HostsError {}

    /** What went wrong, without where. */
    default String problem() {
        return switch (this) {
            case BadAddress(int line, String text) -> "not an IP address: " + text;
            case BadName(int line, String text, NameError error) -> "bad host name " + text + ": " + error.describe();
            case AddressWithoutName(int line, String address) -> "address " + address + " without a host name";
            case NameWithoutAddress(int line, String name) -> "host name " + name + " without an address";
            case ScopedAddress(int line, String address) -> "scoped address " + address + " cannot be served";
        };
    }
}
