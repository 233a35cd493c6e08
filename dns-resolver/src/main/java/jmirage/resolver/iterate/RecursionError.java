package jmirage.resolver.iterate;

/** Why recursion found no answer; each maps to an RFC 8914 code in the SERVFAIL the client gets. */
public sealed interface RecursionError {

    /** Every server of a zone timed out, was unreachable or lame (EDE 22 No Reachable Authority). */
    record NoReachableAuthority(String zone) implements RecursionError {}

    /** A CNAME/DNAME loop, too long a chain, or the per-question work budget spent (EDE 0 Other). */
    record TooMuchWork(String why) implements RecursionError {}

    /** Network errors talking to the authorities (EDE 23 Network Error). */
    record Network(String why) implements RecursionError {}

    default String describe() {
        return switch (this) {
            case NoReachableAuthority(String zone) -> "no server of " + zone + " answered";
            case TooMuchWork(String why) -> why;
            case Network(String why) -> why;
        };
    }
}
