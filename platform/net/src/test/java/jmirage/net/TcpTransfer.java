package jmirage.net;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.FlowError;
import jmirage.core.net.ReadResult;

/** Test helpers: pump bytes into a flow, drain a flow into a SHA-256. */
final class TcpTransfer {

    private TcpTransfer() {}

    static Bytes data(long seed, int size) {
        byte[] b = new byte[size];
        new java.util.Random(seed).nextBytes(b);
        return Bytes.adopt(b);
    }

    static String sha256(Bytes b) {
        return HexFormat.of().formatHex(digest().digest(b.toArray()));
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Writes {@code data} in chunks, then shuts the output down. */
    static Promise<Result<Unit, FlowError>> send(Flow flow, Bytes data, int chunk) {
        Promise<Result<Unit, FlowError>> done = Promise.pending();
        sendFrom(flow, data, chunk, 0, done);
        return done;
    }

    private static void sendFrom(Flow flow, Bytes data, int chunk, int at, Promise<Result<Unit, FlowError>> done) {
        if (at >= data.size()) {
            flow.shutdownOutput().forward(done);
            return;
        }
        int end = Math.min(data.size(), at + chunk);
        flow.write(data.slice(at, end)).onSuccess(r -> {
            if (r.isOk()) {
                sendFrom(flow, data, chunk, end, done);
            } else {
                done.resolve(r);
            }
        });
    }

    /** Reads until EOF; resolves with the SHA-256 and length of what came, or the error. */
    static Promise<Result<String, FlowError>> receive(Flow flow) {
        Promise<Result<String, FlowError>> done = Promise.pending();
        MessageDigest md = digest();
        long[] count = {0};
        readMore(flow, md, count, done);
        return done;
    }

    private static void readMore(Flow flow, MessageDigest md, long[] count, Promise<Result<String, FlowError>> done) {
        flow.read().onSuccess(r -> {
            switch (r) {
                case Result.Ok<ReadResult, FlowError>(ReadResult.Data(Bytes b)) -> {
                    md.update(b.toArray());
                    count[0] += b.size();
                    readMore(flow, md, count, done);
                }
                case Result.Ok<ReadResult, FlowError>(ReadResult.Eof e) ->
                        done.resolve(Result.ok(HexFormat.of().formatHex(md.digest()) + "/" + count[0]));
                case Result.Err<ReadResult, FlowError>(FlowError e) -> done.resolve(Result.err(e));
            }
        });
    }

    /** Listens on {@code server}:5001, sends {@code data} from {@code client}; returns the received digest. */
    static Promise<Result<String, FlowError>> run(SimNet net, DirectStack server, DirectStack client, Bytes data) {
        Promise<Result<String, FlowError>> received = Promise.pending();
        server.listenTcp(5001, flow -> receive(flow).onSuccess(r -> {
            flow.close();
            received.resolve(r);
        }));
        client.connectTcp(new Endpoint(server.addresses().get(0), 5001)).onSuccess(c -> {
            Flow flow = c.orElseThrow();
            send(flow, data, 64 * 1024).onSuccess(w -> flow.close());
        });
        return received;
    }
}
