package jmirage.openvpn.config;

/** A directive the client reads but does not act on, or acts on differently from OpenVPN: one log line. */
public record ConfigWarning(int line, String text) {

    public String describe() {
        return "line " + line + ": " + text;
    }
}
