package jmirage.core.params;

/**
 * An enum whose constants are written on the command line by a label rather than by their name
 * ({@code LogLevel.DEBUG} as {@code debug}). Either way a value is matched in any case.
 */
public interface Labelled {

    String label();
}
