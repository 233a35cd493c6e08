package jmirage.core;

import java.util.List;
import jmirage.core.config.ConfigProblem;

/**
 * A unikernel, as a MirageOS {@code config.ml} and its {@code start} function.
 *
 * <p>It declares its devices by claiming them: {@link #claim} receives a {@link DeviceProvider} and
 * returns its own record of devices ({@code D}), taking only what it needs; the target builds just
 * those. Its boot parameters are an object with {@link jmirage.core.params.Option} fields
 * ({@code P}, {@link jmirage.core.params.Mixin}s included), whose field initialisers are the
 * defaults. {@link #start} receives the devices and the parameters and nothing else: that is all of
 * the outside world the unikernel can reach.
 *
 * @param <D> the devices record
 * @param <P> the boot parameters
 */
public interface Unikernel<D, P> {

    /** The name for {@code ./unikernel run NAME}. */
    String name();

    /** One line for {@code ./unikernel list}. */
    String description();

    /**
     * The Java heap this unikernel needs for the load its README documents, in MiB (decision 12):
     * {@code ./unikernel run} and the images start its JVM with {@code -Xmx} of it, unless the
     * operator's {@code JMIRAGE_JAVA_OPTS} names another. Chosen by running the service under its
     * benchmark load with this heap and with the JVM's default, same run (BENCHMARKS.md).
     */
    int heapMiB();

    /**
     * The heap its JVM starts with, in MiB, at least 8 and at most {@link #heapMiB()} (decision 12):
     * {@code -Xms}, left out when the operator's {@code JMIRAGE_JAVA_OPTS} sizes the heap. By default
     * all of it. Smaller only by measurement, the service's benchmark with both, same run: a small
     * start keeps the young generation small, so less memory at rest and under a load that allocates
     * little (the DNS server), but a load that allocates much collects more often (echo, the firewall:
     * 8 to 11% less throughput) or promotes its transient data early and fills the old generation
     * (CalDAV: 110 MiB more after its benchmark).
     */
    default int initialHeapMiB() {
        return heapMiB();
    }

    /**
     * How its JVM compiles (decision 31): {@code ./unikernel run} and the images pass the options it
     * stands for, after {@code -Xmx} and before the operator's {@code JMIRAGE_JAVA_OPTS}. By default
     * the JVM's own tiered compilation; a unikernel chooses otherwise only by measurement.
     */
    default Compilation compilation() {
        return Compilation.TIERED;
    }

    /** A fresh parameters object holding the defaults. */
    P parameters();

    /** Takes the devices this unikernel needs from the target. */
    D claim(DeviceProvider devices);

    /**
     * Boots: opens ports, reads state, arms timers. Resolves with a handle once serving, or with the
     * reason it cannot serve (a port in use, a bad parameter), for the operator.
     */
    Promise<Result<Running, String>> start(D devices, P parameters);

    /**
     * Checks every configuration this unikernel would read at boot ({@code ./unikernel check NAME},
     * decision 6): the boot parameters and what it reads from its store, each problem with its source
     * and line; empty when it would boot. It claims only what it reads (normally the Kv), opens no
     * port and writes nothing. {@link #start} runs the same checks and refuses to boot on a problem;
     * {@link Running#reload} runs them on the new configuration. By default there is nothing to check.
     */
    default Promise<List<ConfigProblem>> check(DeviceProvider devices, P parameters) {
        return Promise.resolved(List.of());
    }

    /** A booted unikernel. */
    interface Running {

        /**
         * Reads the configuration again (on SIGHUP) and, only if it has no problems, puts it in
         * effect at once on the loop, keeping the work in flight and the state (leases, statistics);
         * with problems, keeps the previous configuration and returns them. By default there is
         * nothing to reload.
         */
        default Promise<Result<Unit, List<ConfigProblem>>> reload() {
            return Promise.resolved(Result.ok());
        }

        /**
         * Stops accepting new work and resolves once the work in flight is done. The runner bounds
         * the wait, then closes the devices.
         */
        Promise<Unit> stop();
    }
}
