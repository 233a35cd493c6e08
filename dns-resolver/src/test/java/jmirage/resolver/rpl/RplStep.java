package jmirage.resolver.rpl;

/** One {@code STEP n KIND} of a scenario; steps run in the order of their numbers. */
public sealed interface RplStep {

    int number();

    /** A client asks the resolver the entry's question with the entry's flags (RD, DO, CD). */
    record Query(int number, RplEntry entry) implements RplStep {}

    /** The answer to the oldest unchecked query must match the entry. */
    record CheckAnswer(int number, RplEntry entry) implements RplStep {}

    /** The clock moves on by {@code elapse} (fractions of a second allowed); timers due meanwhile run. */
    record TimePasses(int number, java.time.Duration elapse) implements RplStep {}

    /** Let pending work (prefetches, background fetches) run to the end. */
    record Traffic(int number) implements RplStep {}
}
