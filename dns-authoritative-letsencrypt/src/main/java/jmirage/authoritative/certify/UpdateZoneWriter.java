package jmirage.authoritative.certify;

import java.time.Duration;
import java.util.List;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Stack;
import jmirage.dns.Name;
import jmirage.dns.Record;
import jmirage.dns.client.Update;
import jmirage.dns.client.UpdateError;
import jmirage.dns.tsig.TsigKey;

/**
 * The certify role's writer in secondary mode: each change is one TSIG-signed RFC 2136 UPDATE
 * ({@link Update}, platform/dns) sent over TCP (RFC 7766 framing) to the primary of the zone, whose
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
        var signed = Update.signed(random.nextInt(65536), zone, remove, add, key, clock.now());
        if (signed instanceof Result.Err<Update.Signed, UpdateError>(UpdateError e)) {
            return Promise.resolved(Result.err(e));
        }
        return Update.send(stack, scheduler, clock, primary, signed.orElseThrow(), key, TIMEOUT).flatMap(r -> {
            if (r instanceof Result.Err<Unit, UpdateError>(UpdateError e) && e.worthRetrying() && n < ATTEMPTS) {
                log.info("update of " + zone + " at " + primary + ", attempt " + n + " of " + ATTEMPTS + ": " + e.describe()
                        + "; again in " + backoff.toSeconds() + " s");
                return scheduler.sleep(backoff).flatMap(u -> attempt(remove, add, n + 1, backoff.multipliedBy(2)));
            }
            return Promise.resolved(r);
        });
    }

    @Override
    public String toString() {
        return "updates of " + zone + " to " + primary + " signed with " + key.name();
    }
}
