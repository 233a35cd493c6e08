package jmirage.examples.clock;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import jmirage.core.Cancellable;
import jmirage.core.Clock;
import jmirage.core.DeviceProvider;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unikernel;
import jmirage.core.Unit;

/**
 * The seed's example, as mirage-skeleton's speaking_clock: says the wall time, in RFC 3339, at
 * every whole second. Devices: a clock, the scheduler and a log; nothing else.
 */
public final class SpeakingClock implements Unikernel<SpeakingClock.Devices, SpeakingClock.Parameters> {

    public record Devices(Clock clock, Scheduler scheduler, Log log) {}

    /** No boot parameters beyond the common ones. */
    public static final class Parameters {}

    @Override
    public String name() {
        return "speaking-clock";
    }

    @Override
    public String description() {
        return "says the wall time (RFC 3339) every second";
    }

    @Override
    public int heapMiB() {
        return 16;
    }

    @Override
    public Parameters parameters() {
        return new Parameters();
    }

    @Override
    public Devices claim(DeviceProvider devices) {
        return new Devices(devices.clock(), devices.scheduler(), devices.log());
    }

    @Override
    public Promise<Result<Running, String>> start(Devices devices, Parameters parameters) {
        Ticker ticker = new Ticker(devices);
        ticker.armNext();
        return Promise.resolved(Result.ok(ticker));
    }

    /** Arms one timer at a time, each aimed at the next whole second, so ticks do not drift. */
    private static final class Ticker implements Running {
        private final Devices devices;
        private Cancellable timer;

        Ticker(Devices devices) {
            this.devices = devices;
        }

        void armNext() {
            Instant now = devices.clock().now();
            Duration untilNextSecond = Duration.ofNanos(1_000_000_000L - now.getNano());
            timer = devices.scheduler().schedule(untilNextSecond, this::tick);
        }

        private void tick() {
            // Instant.toString of a whole second is RFC 3339: 2026-11-28T14:21:58Z
            devices.log().info(devices.clock().now().truncatedTo(ChronoUnit.SECONDS).toString());
            armNext();
        }

        @Override
        public Promise<Unit> stop() {
            timer.cancel();
            return Promise.done();
        }
    }
}
