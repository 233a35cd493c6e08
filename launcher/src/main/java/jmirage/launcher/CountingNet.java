package jmirage.launcher;

import java.util.function.Consumer;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Unit;
import jmirage.core.metrics.Counter;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.MacAddress;
import jmirage.core.net.Net;

/**
 * The tap target's Ethernet device, counted: frames and bytes in and out of the TAP interface, as
 * {@code jmirage_tap_frames_total{device,direction}} and {@code jmirage_tap_bytes_total{device,direction}}
 * (bytes of whole frames, Ethernet header included). Sending and receiving happen on the loop, as
 * the scrape does.
 */
final class CountingNet implements Net {

    private final Net device;
    private final Counter.Series framesIn;
    private final Counter.Series framesOut;
    private final Counter.Series bytesIn;
    private final Counter.Series bytesOut;

    CountingNet(Net device, Metrics metrics, String name) {
        this.device = device;
        Counter frames = metrics.counter("jmirage_tap_frames_total", "Ethernet frames through the TAP interface.",
                "device", "direction");
        Counter bytes = metrics.counter("jmirage_tap_bytes_total", "Bytes of Ethernet frames through the TAP interface.",
                "device", "direction");
        framesIn = frames.labels(name, "in");
        framesOut = frames.labels(name, "out");
        bytesIn = bytes.labels(name, "in");
        bytesOut = bytes.labels(name, "out");
    }

    @Override
    public MacAddress mac() {
        return device.mac();
    }

    @Override
    public int mtu() {
        return device.mtu();
    }

    @Override
    public void send(Bytes frame) {
        framesOut.inc();
        bytesOut.inc(frame.size());
        device.send(frame);
    }

    @Override
    public void receive(Consumer<Bytes> receiver) {
        device.receive(frame -> {
            framesIn.inc();
            bytesIn.inc(frame.size());
            receiver.accept(frame);
        });
    }

    @Override
    public Promise<Unit> close() {
        return device.close();
    }
}
