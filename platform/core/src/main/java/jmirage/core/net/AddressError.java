package jmirage.core.net;

/** The expected ways an address, a prefix or an endpoint written as text fails to parse. */
public sealed interface AddressError {

    /** {@code text} is not an IPv4 or IPv6 literal (host names are never looked up). */
    record NotAnAddress(String text) implements AddressError {}

    /** The address is of the other family than the one the context needs ({@code 2001:db8::1} where IPv4 is required). */
    record WrongFamily(String text, int expectedVersion) implements AddressError {}

    /** The prefix length after {@code /} is not a number from 0 to {@code max}. */
    record BadPrefixLength(String text, int max) implements AddressError {}

    /** A prefix was needed and {@code text} has no {@code /LENGTH}. */
    record MissingPrefixLength(String text) implements AddressError {}

    /** An endpoint was needed and {@code text} has no {@code :PORT}. */
    record MissingPort(String text) implements AddressError {}

    /** The port after the last {@code :} is not a number from 0 to 65535. */
    record BadPort(String text) implements AddressError {}

    /** {@code text} is not a MAC address written as six pairs of hex digits. */
    record NotAMacAddress(String text) implements AddressError {}

    default String describe() {
        return switch (this) {
            case NotAnAddress(String text) -> "not an IP address: " + text;
            case WrongFamily(String text, int version) -> "not an IPv" + version + " address: " + text;
            case BadPrefixLength(String text, int max) -> "prefix length out of 0.." + max + " in " + text;
            case MissingPrefixLength(String text) -> "expected ADDRESS/PREFIX-LENGTH, got " + text;
            case MissingPort(String text) -> "expected ADDRESS:PORT, got " + text;
            case BadPort(String text) -> "port out of 0..65535 in " + text;
            case NotAMacAddress(String text) -> "not a MAC address: " + text;
        };
    }
}
