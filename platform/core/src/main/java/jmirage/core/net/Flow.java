package jmirage.core.net;

import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;

/**
 * A reliable, ordered byte stream (a TCP connection, a TLS session over one), as mirage-flow's
 * {@code Flow}. Back-pressure both ways: nothing is read from the network until the service asks
 * with {@link #read}, and a {@link #write} resolves only when the bytes fit in a bounded buffer, so
 * a slow peer slows the writer and nothing buffers without bound.
 *
 * <p>One read and any number of writes may be outstanding; writes go out in the order issued.
 */
public interface Flow {

    Endpoint local();

    Endpoint remote();

    /** The next bytes from the peer, or {@link ReadResult.Eof} once the peer shut its side down. */
    Promise<Result<ReadResult, FlowError>> read();

    /** Queues {@code data}; resolves when the flow can take more. */
    Promise<Result<Unit, FlowError>> write(Bytes data);

    /** Sends what is queued, then the end of stream (TCP FIN); reading goes on. */
    Promise<Result<Unit, FlowError>> shutdownOutput();

    /**
     * Closes both directions, as close(2): reading stops at once (a pending read resolves with
     * {@link FlowError.Closed}), writes already queued are still sent, then the connection ends.
     * Closing twice is harmless.
     */
    Promise<Unit> close();
}
