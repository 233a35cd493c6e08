package jmirage.core.params;

/** What a command line of boot parameters asks for ({@link ParameterParser#parse}). */
public sealed interface Parsed {

    /** Every value given was read and set on the parameters objects; the others keep their defaults. */
    record Assigned() implements Parsed {}

    /** {@code -h} or {@code --help}: nothing was set. */
    record HelpRequested() implements Parsed {}

    /** {@code -V} or {@code --version}: nothing was set. */
    record VersionRequested() implements Parsed {}

    /**
     * A usage error: nothing was set.
     *
     * @param reason one line naming the argument and what is wrong with it
     */
    record UsageError(String reason) implements Parsed {}
}
