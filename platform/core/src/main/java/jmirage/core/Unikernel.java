package jmirage.core;

/**
 * A unikernel, as a MirageOS {@code config.ml} and its {@code start} function.
 *
 * <p>It declares its devices by claiming them: {@link #claim} receives a {@link DeviceProvider} and
 * returns its own record of devices ({@code D}), taking only what it needs; the target builds just
 * those. Its boot parameters are an object with picocli {@code @Option} fields ({@code P}), whose
 * field initialisers are the defaults. {@link #start} receives the devices and the parameters and
 * nothing else: that is all of the outside world the unikernel can reach.
 *
 * @param <D> the devices record
 * @param <P> the boot parameters
 */
public interface Unikernel<D, P> {

    /** The name for {@code ./unikernel run NAME}. */
    String name();

    /** One line for {@code ./unikernel list}. */
    String description();

    /** A fresh parameters object holding the defaults. */
    P parameters();

    /** Takes the devices this unikernel needs from the target. */
    D claim(DeviceProvider devices);

    /**
     * Boots: opens ports, reads state, arms timers. Resolves with a handle once serving, or with the
     * reason it cannot serve (a port in use, a bad parameter), for the operator.
     */
    Promise<Result<Running, String>> start(D devices, P parameters);

    /** A booted unikernel. */
    interface Running {

        /**
         * Stops accepting new work and resolves once the work in flight is done. The runner bounds
         * the wait, then closes the devices.
         */
        Promise<Unit> stop();
    }
}
