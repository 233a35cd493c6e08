package jmirage.openvpn.wire;

import java.util.Objects;

/** Why bytes from the peer are not an OpenVPN packet (or do not authenticate): one line for a log. */
public record WireError(String reason) {

    public WireError {
        Objects.requireNonNull(reason);
    }

    public String describe() {
        return reason;
    }
}
