package jmirage.core.net;

/** The expected ways reading or writing a {@link Flow} fails. */
public sealed interface FlowError {

    /** This side closed the flow (or shut its output down before a write). */
    record Closed() implements FlowError {}

    /** The peer reset the connection. */
    record Reset() implements FlowError {}

    record TimedOut() implements FlowError {}

    /** A layered protocol (TLS) failed: {@code detail} says why, for the operator. */
    record Protocol(String detail) implements FlowError {}

    record Io(String detail) implements FlowError {}
}
