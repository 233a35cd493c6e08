package jmirage.core;

/**
 * How the JVM compiles a unikernel's code, which it declares beside its heap (decision 31): a trade
 * between the first seconds after the boot and the memory it holds for as long as it runs.
 */
public enum Compilation {

    /**
     * The JVM's default: C1 at once, with profiling, then C2 for the hot code. Warm within a second
     * or two of load; holds both compilers' code (about 11 MiB of code cache in qubes-firewall under
     * load) and their arenas.
     */
    TIERED,

    /**
     * C2 alone, on one compiler thread: the interpreter profiles until a method is hot, C2 compiles
     * it once. Warm-up takes longer; about 8 MiB less code and one compilation's arena at a time
     * (BENCHMARKS.md, "qubes-firewall"). For a unikernel that runs for months where every MiB counts
     * and the first seconds do not.
     */
    OPTIMIZING_ONLY
}
