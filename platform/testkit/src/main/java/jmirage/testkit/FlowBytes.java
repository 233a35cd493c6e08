package jmirage.testkit;

import java.io.ByteArrayOutputStream;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.Flow;
import jmirage.core.net.FlowError;
import jmirage.core.net.ReadResult;

/** Reading a whole {@link Flow} in a test: what a peer sent until it shut its side down. */
public final class FlowBytes {

    private FlowBytes() {}

    /** Everything until the end of the stream (or until an error, with what came before). */
    public static Promise<Bytes> readAll(Flow flow) {
        return readAll(flow, new ByteArrayOutputStream());
    }

    private static Promise<Bytes> readAll(Flow flow, ByteArrayOutputStream sofar) {
        return flow.read().flatMap(r -> switch (r) {
            case Result.Ok<ReadResult, FlowError>(ReadResult.Data(Bytes b)) -> {
                sofar.writeBytes(b.toArray());
                yield readAll(flow, sofar);
            }
            default -> Promise.resolved(Bytes.adopt(sofar.toByteArray()));
        });
    }
}
