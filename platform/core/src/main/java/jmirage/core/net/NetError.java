package jmirage.core.net;

/** The expected ways opening or using a network endpoint fails. */
public sealed interface NetError {

    record AddressInUse(Endpoint endpoint) implements NetError {}

    record PermissionDenied(Endpoint endpoint) implements NetError {}

    record Refused(Endpoint endpoint) implements NetError {}

    record Unreachable(Endpoint endpoint) implements NetError {}

    record TimedOut(Endpoint endpoint) implements NetError {}

    record Closed() implements NetError {}

    record Io(String detail) implements NetError {}

    default String describe() {
        return switch (this) {
            case AddressInUse(Endpoint e) -> e + " is already in use";
            case PermissionDenied(Endpoint e) -> "permission denied for " + e + " (ports below 1024 need root or CAP_NET_BIND_SERVICE)";
            case Refused(Endpoint e) -> e + " refused the connection";
            case Unreachable(Endpoint e) -> e + " is unreachable";
            case TimedOut(Endpoint e) -> e + " did not answer in time";
            case Closed() -> "closed";
            case Io(String detail) -> detail;
        };
    }
}
