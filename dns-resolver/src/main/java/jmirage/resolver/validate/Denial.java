package jmirage.resolver.validate;

/** The outcome of a proof of non-existence (RFC 4035 5.4, RFC 5155 8). */
sealed interface Denial {

    /** The proof holds. */
    record Proved() implements Denial {}

    /** The proof holds only for an opt-out span or NSEC3 beyond the iteration limit: insecure (RFC 5155 9.2, RFC 9276 3.2). */
    record Insecure(String reason) implements Denial {}

    /** No proof: {@code reason} says what is missing. */
    record Failed(String reason) implements Denial {}

    Denial PROVED = new Proved();
}
