package jmirage.dhcpd;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.net.Stack;
import jmirage.dhcpd.config.Ddns;
import jmirage.dhcpd.core.DnsChange;
import jmirage.dhcpd.core.DnsUpdatePlan;
import jmirage.dhcpd.core.DnsUpdatePlan.Next;
import jmirage.dhcpd.core.DnsUpdatePlan.Outcome;
import jmirage.dhcpd.core.DnsUpdatePlan.Step;
import jmirage.dhcpd.core.Lease;
import jmirage.dns.Name;
import jmirage.dns.client.Update;
import jmirage.dns.client.UpdateError;

/**
 * The shell of {@link DnsUpdatePlan}: sends each step as a TSIG-signed UPDATE over TCP to its zone's
 * primary ({@link Update#send}), a random ID each, retried with backoff while {@link
 * UpdateError#worthRetrying()}; one change at a time per name, in the order they came (a removal
 * before the registration that follows it). Never in the way of a DHCP reply: changes are handed in
 * after the reply left. When a removal has run without a failure, {@code removed} is told, and the
 * shell drops the name from the lease record. On the loop.
 */
final class DnsUpdates {

    /** One exchange's time limit. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Attempts of one UPDATE, the waits between them doubling from 1 s (1 + 2 + 4 + 8 + 16 s). */
    private static final int ATTEMPTS = 6;
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    private final Stack stack;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Random random;
    private final Log log;
    private final DhcpMetrics metrics;
    /** The configuration's updates, read at each change (a reload may change them). */
    private final Supplier<Optional<Ddns>> ddns;
    private final Consumer<Lease> removed;
    /** Changes waiting per name; a name is here while one of its changes runs. */
    private final Map<Name, ArrayDeque<DnsChange>> queues = new HashMap<>();
    private boolean stopped;

    DnsUpdates(Stack stack, Scheduler scheduler, Clock clock, Random random, Log log, DhcpMetrics metrics,
            Supplier<Optional<Ddns>> ddns, Consumer<Lease> removed) {
        this.stack = stack;
        this.scheduler = scheduler;
        this.clock = clock;
        this.random = random;
        this.log = log;
        this.metrics = metrics;
        this.ddns = ddns;
        this.removed = removed;
    }

    /** Queues {@code changes}, each behind those of its name. */
    void submit(List<DnsChange> changes) {
        for (DnsChange change : changes) {
            ArrayDeque<DnsChange> queue = queues.get(change.fqdn());
            if (queue != null) {
                queue.add(change);
                continue;
            }
            queue = new ArrayDeque<>();
            queue.add(change);
            queues.put(change.fqdn(), queue);
            start(change);
        }
    }

    private void start(DnsChange change) {
        Optional<Ddns> d = ddns.get();
        if (stopped || d.isEmpty()) {
            finish(change, false); // updates turned off by a reload: the names stay in the store for a later boot
            return;
        }
        proceed(change, DnsUpdatePlan.first(change, d.get()), true);
    }

    /** Counts what {@code next} says and sends its step, or ends the change. */
    private void proceed(DnsChange change, Next next, boolean cleanSoFar) {
        boolean clean = cleanSoFar && next.outcome().filter(o -> o == Outcome.FAILED).isEmpty();
        next.outcome().ifPresent(o -> {
            metrics.ddnsUpdate(o);
            report(change, o);
        });
        Optional<Ddns> d = ddns.get();
        if (next.step().isEmpty() || stopped || d.isEmpty()) {
            finish(change, clean);
            return;
        }
        send(change, next.step().get(), 1, clean);
    }

    private void send(DnsChange change, Step step, int attempt, boolean clean) {
        if (stopped) {
            return;
        }
        Ddns.Zone zone = step.zone();
        Result<Update.Signed, UpdateError> signed = Update.signedConditional(random.nextInt(65536), zone.name(),
                step.prerequisites(), step.changes(), zone.key(), clock.now());
        if (signed instanceof Result.Err<Update.Signed, UpdateError>(UpdateError e)) {
            answered(change, step, Result.err(e), clean);
            return;
        }
        Update.send(stack, scheduler, clock, zone.primary(), signed.orElseThrow(), zone.key(), TIMEOUT).onComplete((r, bug) -> {
            Result<Unit, UpdateError> answer = r != null ? r
                    : Result.err(new UpdateError.NoAnswer(new jmirage.dns.client.ExchangeError.TimedOut(zone.primary(), TIMEOUT)));
            if (bug != null) {
                log.error("DNS update of " + step.owner() + " failed: " + bug);
            }
            if (answer instanceof Result.Err<Unit, UpdateError>(UpdateError e) && e.worthRetrying() && attempt < ATTEMPTS && !stopped) {
                Duration wait = FIRST_BACKOFF.multipliedBy(1L << (attempt - 1));
                log.debug(() -> "DNS update of " + step.owner() + " at " + zone.primary() + ": " + e.describe() + "; again in "
                        + wait.toSeconds() + " s");
                scheduler.schedule(wait, () -> send(change, step, attempt + 1, clean));
                return;
            }
            answered(change, step, answer, clean);
        });
    }

    private void answered(DnsChange change, Step step, Result<Unit, UpdateError> answer, boolean clean) {
        if (answer instanceof Result.Err<Unit, UpdateError>(UpdateError e)) {
            log.debug(() -> "DNS update " + step.kind() + " of " + step.owner() + ": " + e.describe());
        }
        Optional<Ddns> d = ddns.get();
        if (d.isEmpty()) {
            finish(change, false);
            return;
        }
        Next next = DnsUpdatePlan.after(change, step, answer, d.get());
        if (next.outcome().filter(o -> o == Outcome.FAILED).isPresent() && answer instanceof Result.Err<Unit, UpdateError>(UpdateError e)) {
            log.warn("DNS update of " + step.owner() + " (" + change.address().getHostAddress() + ") at "
                    + step.zone().primary() + " failed: " + e.describe());
        }
        proceed(change, next, clean);
    }

    private void report(DnsChange change, Outcome o) {
        String who = change.fqdn() + " (" + change.address().getHostAddress() + ", " + change.lease().mac() + ")";
        switch (o) {
            case ADDED -> log.info("DNS: added " + who);
            case REPLACED -> log.info("DNS: updated " + who + ", the name was ours already");
            case CONFLICT -> log.warn("DNS: " + who + " not added: the name is another client's (RFC 4703 DHCID differs"
                    + " or is absent), left as it is");
            case REMOVED -> log.info("DNS: removed " + who);
            case NOT_OURS -> log.info("DNS: " + who + " not removed: the name is no longer ours");
            case NO_ZONE -> log.warn("DNS: no zone statement holds " + change.fqdn() + ": not updated");
            case PTR_SET, PTR_REMOVED, FAILED -> { } // the PTR follows its name's line; failures are logged with their reason
        }
    }

    private void finish(DnsChange change, boolean clean) {
        if (clean && change instanceof DnsChange.Unregister u) {
            removed.accept(u.lease());
        }
        ArrayDeque<DnsChange> queue = queues.get(change.fqdn());
        queue.poll();
        if (queue.isEmpty()) {
            queues.remove(change.fqdn());
        } else {
            start(queue.peek());
        }
    }

    /** No more updates (a retry due later sends nothing); one in flight ends with its exchange. */
    void stop() {
        stopped = true;
    }
}
