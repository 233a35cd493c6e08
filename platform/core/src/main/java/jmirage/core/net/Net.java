package jmirage.core.net;

import java.util.function.Consumer;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Unit;

/** An Ethernet interface, the device under the direct TCP/IP stack: frames in, frames out. */
public interface Net {

    MacAddress mac();

    /** The largest payload of a frame, 1500 on ordinary Ethernet. */
    int mtu();

    /** Sends one Ethernet frame (header included, no FCS). Frames may be lost, as on a wire. */
    void send(Bytes frame);

    /** Delivers every received frame to {@code receiver}, on the loop; replaces an earlier receiver. */
    void receive(Consumer<Bytes> receiver);

    Promise<Unit> close();
}
