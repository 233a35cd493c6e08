package jmirage.dhcpd.core;

import jmirage.core.net.AddressError;

/** Why a line of the lease store is not a lease record ({@link LeaseCodec#decodeLine}); each case holds the line. */
public sealed interface LeaseRecordError {

    String line();

    /** Not six fields starting with {@code v1}, nor seven starting with {@code v2}. */
    record NotV1Record(String line) implements LeaseRecordError {}

    record BadAddress(String line, AddressError error) implements LeaseRecordError {}

    record UnknownState(String line, String state) implements LeaseRecordError {}

    /** The end is not a number of Unix seconds an {@link java.time.Instant} holds. */
    record BadEnd(String line, String end) implements LeaseRecordError {}

    record BadHardwareAddress(String line, AddressError error) implements LeaseRecordError {}

    /** The client key is not (non-empty) hex. */
    record BadClientKey(String line, String key) implements LeaseRecordError {}

    /** The name of a {@code v2} record is not an absolute name of LDH labels. */
    record BadName(String line, String name) implements LeaseRecordError {}

    default String describe() {
        return switch (this) {
            case NotV1Record(String line) -> "not a v1 or v2 lease record: '" + line + "'";
            case BadAddress(String line, AddressError e) -> e.describe() + " in '" + line + "'";
            case UnknownState(String line, String state) -> "unknown state " + state + " in '" + line + "'";
            case BadEnd(String line, String end) -> "bad end " + end + " in '" + line + "'";
            case BadHardwareAddress(String line, AddressError e) -> e.describe() + " in '" + line + "'";
            case BadClientKey(String line, String key) -> "bad client key " + key + " in '" + line + "'";
            case BadName(String line, String name) -> "bad host name " + name + " in '" + line + "'";
        };
    }
}
