package jmirage.net.dhcp;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import jmirage.core.Bytes;
import jmirage.core.Cancellable;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Scheduler;

/** Binds the {@link DhcpClient} core to the stack's UDP path and a scheduler timer. */
public final class DhcpShell {

    private final DhcpClient client;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Log log;
    private final BiConsumer<Bytes, Optional<Inet4Address>> send;
    private final Consumer<DhcpClient.Lease> onBound;
    private final Runnable onLost;
    private Cancellable timer;
    private boolean stopped;

    public DhcpShell(DhcpClient client, Clock clock, Scheduler scheduler, Log log, BiConsumer<Bytes, Optional<Inet4Address>> send,
            Consumer<DhcpClient.Lease> onBound, Runnable onLost) {
        this.client = client;
        this.clock = clock;
        this.scheduler = scheduler;
        this.log = log;
        this.send = send;
        this.onBound = onBound;
        this.onLost = onLost;
    }

    public DhcpClient client() {
        return client;
    }

    public void start() {
        apply(client.start(clock.monotonicNanos()));
    }

    /** The bound address turned out to be in use: decline it and start over. */
    public void decline() {
        if (!stopped) {
            apply(client.decline(clock.monotonicNanos()));
        }
    }

    public void input(Bytes payload) {
        if (!stopped) {
            apply(client.input(clock.monotonicNanos(), payload));
        }
    }

    /** Releases the lease, if any, and stops. */
    public void stop() {
        if (!stopped) {
            for (DhcpClient.Action a : client.release()) {
                if (a instanceof DhcpClient.Action.Send send) {
                    this.send.accept(send.payload(), send.server());
                }
            }
        }
        stopped = true;
        if (timer != null) {
            timer.cancel();
        }
    }

    private void apply(List<DhcpClient.Action> actions) {
        for (DhcpClient.Action a : actions) {
            switch (a) {
                case DhcpClient.Action.Send s -> send.accept(s.payload(), s.server());
                case DhcpClient.Action.Bound b -> {
                    log.info("lease " + b.lease().address() + " from " + b.lease().server().getHostAddress() + " for "
                            + b.lease().leaseTime().toSeconds() + " s");
                    onBound.accept(b.lease());
                }
                case DhcpClient.Action.Lost l -> onLost.run();
            }
        }
        if (timer != null) {
            timer.cancel();
        }
        long deadline = client.nextDeadline();
        if (!stopped && deadline != Long.MAX_VALUE) {
            timer = scheduler.schedule(Duration.ofNanos(Math.max(0, deadline - clock.monotonicNanos())),
                    () -> apply(client.timer(clock.monotonicNanos())));
        }
    }
}
