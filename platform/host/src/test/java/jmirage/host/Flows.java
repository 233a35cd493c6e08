package jmirage.host;

import java.io.ByteArrayOutputStream;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.Flow;
import jmirage.core.net.FlowError;
import jmirage.core.net.ReadResult;

/** Flow helpers for tests; call them on the flow's loop. */
final class Flows {

    private Flows() {}

    /** Everything the peer sends until its end of stream. */
    static Promise<Result<Bytes, FlowError>> readToEnd(Flow flow) {
        return readToEnd(flow, new ByteArrayOutputStream());
    }

    private static Promise<Result<Bytes, FlowError>> readToEnd(Flow flow, ByteArrayOutputStream sofar) {
        return flow.read().flatMap(result -> switch (result) {
            case Result.Err<ReadResult, FlowError>(FlowError error) -> Promise.resolved(Result.err(error));
            case Result.Ok<ReadResult, FlowError>(ReadResult.Eof eof) ->
                    Promise.resolved(Result.ok(Bytes.adopt(sofar.toByteArray())));
            case Result.Ok<ReadResult, FlowError>(ReadResult.Data(Bytes bytes)) -> {
                sofar.writeBytes(bytes.toArray());
                yield readToEnd(flow, sofar);
            }
        });
    }

    /** Echoes what it reads until end of stream, then closes. */
    static void echo(Flow flow) {
        flow.read().onSuccess(result -> {
            switch (result) {
                case Result.Ok<ReadResult, FlowError>(ReadResult.Data(Bytes bytes)) ->
                        flow.write(bytes).onSuccess(written -> {
                            if (written.isOk()) {
                                echo(flow);
                            } else {
                                flow.close();
                            }
                        });
                case Result.Ok<ReadResult, FlowError>(ReadResult.Eof eof) -> flow.close();
                case Result.Err<ReadResult, FlowError> error -> flow.close();
            }
        });
    }
}
