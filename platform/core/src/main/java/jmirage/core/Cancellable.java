package jmirage.core;

/** A timer or task that can still be called off. */
@FunctionalInterface
public interface Cancellable {

    /** Cancels it if it has not run; returns whether this call cancelled it. */
    boolean cancel();
}
