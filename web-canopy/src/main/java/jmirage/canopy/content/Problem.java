package jmirage.canopy.content;

import java.util.Objects;

/**
 * Why one file of the repository is not on the site (or is, with a default), as its author reads it
 * on the status page and in the log. A problem never stops the rest of the site from building.
 *
 * @param path   the file, {@code posts/hello.md}
 * @param line   the line in it, from 1; 0 when the problem is the whole file
 * @param reason what is wrong, without the place
 */
public record Problem(String path, int line, String reason) {

    public Problem {
        Objects.requireNonNull(path);
        Objects.requireNonNull(reason);
        if (line < 0) {
            throw new IllegalArgumentException("line " + line + " is negative");
        }
    }

    static Problem of(String path, String reason) {
        return new Problem(path, 0, reason);
    }

    /** {@code path:line: reason}, or {@code path: reason} without a line, as compilers write. */
    public String describe() {
        return line == 0 ? path + ": " + reason : path + ":" + line + ": " + reason;
    }
}
