package jmirage.core.config;

import java.util.Objects;

/**
 * One problem in a unikernel's configuration, as the operator reads it (decision 6): where it is
 * and why it is refused. This is the boundary where a service's own typed errors (dhcp-server's
 * {@code ConfigError}, a zone file's error...) become a line for a person; services keep their
 * typed errors inside and map them to this only for {@code ./unikernel check}, boot and reload.
 *
 * @param source the Kv key or file as the operator knows it ({@code dhcpd.conf}), or the boot
 *               parameter ({@code --port})
 * @param line   the line in {@code source}, from 1; 0 when there is none (a parameter, a missing key)
 * @param reason what is wrong, without the place
 */
public record ConfigProblem(String source, int line, String reason) {

    public ConfigProblem {
        Objects.requireNonNull(source);
        Objects.requireNonNull(reason);
        if (line < 0) {
            throw new IllegalArgumentException("line " + line + " is negative");
        }
    }

    /** A problem of the whole source or of a boot parameter, with no line. */
    public static ConfigProblem of(String source, String reason) {
        return new ConfigProblem(source, 0, reason);
    }

    /** {@code source:line: reason}, or {@code source: reason} when there is no line (as compilers write). */
    public String describe() {
        return line == 0 ? source + ": " + reason : source + ":" + line + ": " + reason;
    }
}
