package jmirage.authoritative.certify;

import java.time.Duration;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.FlowError;
import jmirage.core.net.NetError;
import jmirage.core.net.ReadResult;
import jmirage.core.net.Stack;
import jmirage.dns.Name;
import jmirage.dns.Record;
import jmirage.dns.tsig.TsigKey;

/**
 * The certify role's writer in secondary mode: each change is one TSIG-signed RFC 2136 UPDATE
 * ({@link UpdateMessage}) sent over TCP (RFC 7766 framing) to the primary of the zone, whose
 * signed answer is verified. The promise completes once the primary has answered, so a challenge
 * written here is served by the primary when it completes with success. A change that got no
 * answer, or SERVFAIL, is sent again (a new ID and signature) after 2, 4 and 8 seconds; a refusal
 * is final. On the loop.
 */
public final class UpdateZoneWriter implements ZoneWriter {

    /** How long one attempt waits for the whole answer. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    public static final int ATTEMPTS = 4;
    static final Duration FIRST_RETRY = Duration.ofSeconds(2);

    private final Stack stack;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Random random;
    private final Log log;
    private final Name zone;
    private final Endpoint primary;
    private final TsigKey key;

    public UpdateZoneWriter(Stack stack, Scheduler scheduler, Clock clock, Random random, Log log, Name zone, Endpoint primary,
            TsigKey key) {
        this.stack = stack;
        this.scheduler = scheduler;
        this.clock = clock;
        this.random = random;
        this.log = log;
        this.zone = zone;
        this.primary = primary;
        this.key = key;
    }

    @Override
    public Promise<Result<Unit, String>> change(List<Record> remove, List<Record> add, String reason) {
        // a failure is the caller's to log (the certify role does, with what it was doing): one line per event
        return send(remove, add).map(r -> {
            if (r.isOk()) {
                log.info(reason + ": update of " + zone + " accepted by " + primary + " (" + remove.size() + " removed, "
                        + add.size() + " added)");
            }
            return r.mapError(e -> "update of " + zone + " at " + primary + ": " + e.describe());
        });
    }

    /** The change as one update, with up to {@link #ATTEMPTS} attempts; the last attempt's error if none succeeded. */
    public Promise<Result<Unit, UpdateError>> send(List<Record> remove, List<Record> add) {
        return attempt(List.copyOf(remove), List.copyOf(add), 1, FIRST_RETRY);
    }

    private Promise<Result<Unit, UpdateError>> attempt(List<Record> remove, List<Record> add, int n, Duration backoff) {
        var signed = UpdateMessage.signed(random.nextInt(65536), zone, remove, add, key, clock.now());
        if (signed instanceof Result.Err<UpdateMessage.Signed, UpdateError>(UpdateError e)) {
            return Promise.resolved(Result.err(e));
        }
        return exchange(signed.orElseThrow()).flatMap(r -> {
            if (r instanceof Result.Err<Unit, UpdateError>(UpdateError e) && e.worthRetrying() && n < ATTEMPTS) {
                log.info("update of " + zone + " at " + primary + ", attempt " + n + " of " + ATTEMPTS + ": " + e.describe()
                        + "; again in " + backoff.toSeconds() + " s");
                return scheduler.sleep(backoff).flatMap(u -> attempt(remove, add, n + 1, backoff.multipliedBy(2)));
            }
            return Promise.resolved(r);
        });
    }

    /** One TCP connection: the update out, one framed answer in, within {@link #TIMEOUT}. */
    private Promise<Result<Unit, UpdateError>> exchange(UpdateMessage.Signed request) {
        Flow[] open = new Flow[1];
        Promise<Result<Unit, UpdateError>> run = stack.connectTcp(primary).flatMap(c -> switch (c) {
            case Result.Err<Flow, NetError>(NetError e) -> Promise.resolved(Result.<Unit, UpdateError>err(new UpdateError.Connect(primary, e)));
            case Result.Ok<Flow, NetError>(Flow flow) -> {
                open[0] = flow;
                Bytes framed = Bytes.of((byte) (request.wire().size() >>> 8), (byte) request.wire().size()).concat(request.wire());
                yield flow.write(framed).flatMap(w -> w instanceof Result.Err<Unit, FlowError>(FlowError e)
                        ? Promise.resolved(Result.<Unit, UpdateError>err(new UpdateError.Send(primary, e)))
                        : readAnswer(flow, request, Bytes.EMPTY)).flatMap(r -> flow.close().map(u -> r));
            }
        });
        Result<Unit, UpdateError> timedOut = Result.err(new UpdateError.TimedOut(primary, TIMEOUT));
        return scheduler.withTimeout(run, TIMEOUT, timedOut).map(r -> {
            if (r == timedOut && open[0] != null) {
                open[0].close(); // a silent primary: let go of the connection, which ends the pending read
            }
            return r;
        });
    }

    private Promise<Result<Unit, UpdateError>> readAnswer(Flow flow, UpdateMessage.Signed request, Bytes have) {
        if (have.size() >= 2) {
            int len = have.getUnsigned(0) << 8 | have.getUnsigned(1);
            if (have.size() >= 2 + len) {
                return Promise.resolved(UpdateMessage.answer(request, have.slice(2, 2 + len), key, clock.now()));
            }
        }
        return flow.read().flatMap(r -> switch (r) {
            case Result.Err<ReadResult, FlowError>(FlowError e) -> Promise.resolved(Result.<Unit, UpdateError>err(new UpdateError.Read(primary, e)));
            case Result.Ok<ReadResult, FlowError>(ReadResult.Eof eof) -> Promise.resolved(Result.<Unit, UpdateError>err(new UpdateError.ClosedEarly(primary)));
            case Result.Ok<ReadResult, FlowError>(ReadResult.Data(Bytes b)) -> readAnswer(flow, request, have.concat(b));
        });
    }

    @Override
    public String toString() {
        return "updates of " + zone + " to " + primary + " signed with " + key.name();
    }
}
