package jmirage.net.wire;

/** Why bytes from the wire are not a packet: the layer that refused them and the reason, for logs and tests. */
public record ParseError(String layer, String reason) {

    @Override
    public String toString() {
        return layer + ": " + reason;
    }
}
