package jmirage.launcher;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import jmirage.core.Log;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The runner's signals (decision 6). SIGTERM and SIGINT stop the unikernel; during boot (claiming
 * devices, waiting for a DHCP lease on the tap target, {@code start}) they also interrupt the
 * booting thread, so the boot ends at once. SIGHUP runs the reload action once booted, and is
 * ignored with a log line before. Handlers run on the JVM's signal thread: they only count down,
 * interrupt, and hand the reload to the event loop.
 */
final class RunnerSignals {

    private final Log log;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicReference<String> stopSignal = new AtomicReference<>();
    /** The thread that boots, until {@link #booted}. */
    private final AtomicReference<Thread> booting;
    /** What SIGHUP does once booted; null while booting. */
    private final AtomicReference<Runnable> reload = new AtomicReference<>();

    private RunnerSignals(Log log, Thread bootingThread) {
        this.log = log;
        this.booting = new AtomicReference<>(bootingThread);
    }

    /** Handles SIGTERM, SIGINT and SIGHUP from now on; the calling thread is the one that boots. */
    static RunnerSignals install(Log log) {
        RunnerSignals signals = new RunnerSignals(log, Thread.currentThread());
        for (String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), s -> signals.stopOn("SIG" + s.getName()));
        }
        SignalHandler previous = Signal.handle(new Signal("HUP"), s -> signals.reloadOn());
        if (previous == SignalHandler.SIG_IGN) {
            // HotSpot leaves a signal ignored at startup ignored (nohup does that to SIGHUP): the
            // handler above is not installed and a reload would be lost without a word
            log.warn("SIGHUP is ignored by this process (started with nohup?): 'kill -HUP' will not reload the"
                    + " configuration; start it without nohup (systemd, setsid, a terminal multiplexer) to reload with SIGHUP");
        }
        return signals;
    }

    private void stopOn(String signal) {
        stopSignal.compareAndSet(null, signal);
        stop.countDown();
        Thread boot = booting.get();
        if (boot != null) {
            boot.interrupt();
        }
    }

    private void reloadOn() {
        Runnable action = reload.get();
        if (action == null) {
            log.info("ignoring SIGHUP: still booting, the configuration being read is the current one");
        } else {
            action.run();
        }
    }

    /** Whether SIGTERM or SIGINT came; clears the interrupt it sent, so closing the devices can wait. */
    boolean stopRequested() {
        boolean requested = stop.getCount() == 0;
        if (requested) {
            Thread.interrupted();
        }
        return requested;
    }

    /** The signal that stops it ({@code SIGTERM}), once one came. */
    String stopSignalName() {
        return stopSignal.get();
    }

    /**
     * Boot is over: stop signals no longer interrupt, and SIGHUP runs {@code reloadAction} (which
     * must only hand work to the loop).
     */
    void booted(Runnable reloadAction) {
        booting.set(null);
        reload.set(reloadAction);
        if (stop.getCount() > 0) {
            Thread.interrupted(); // an interrupt can only be a stop signal's, and none came
        }
    }

    /** Waits for SIGTERM or SIGINT (at once if one came during boot); from then on SIGHUP is ignored. */
    void awaitStop() {
        while (stop.getCount() > 0) {
            try {
                stop.await();
            } catch (InterruptedException e) {
                // only a stop signal interrupts, after counting down
            }
        }
        Thread.interrupted();
        reload.set(() -> log.info("ignoring SIGHUP: stopping"));
    }
}
