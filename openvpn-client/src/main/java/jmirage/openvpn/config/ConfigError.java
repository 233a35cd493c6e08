package jmirage.openvpn.config;

import jmirage.core.config.ConfigProblem;

/** Why a configuration is refused: the line (from 1; 0 for the file as a whole) and the reason. */
public record ConfigError(int line, String reason) {

    public String describe() {
        return line == 0 ? reason : "line " + line + ": " + reason;
    }

    /** The operator's form, {@code openvpn.conf:12: reason} (decision 6). */
    public ConfigProblem problem(String source) {
        return new ConfigProblem(source, line, reason);
    }
}
