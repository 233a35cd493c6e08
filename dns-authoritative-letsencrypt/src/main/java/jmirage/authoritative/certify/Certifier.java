package jmirage.authoritative.certify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import jmirage.acme.AcmeError;
import jmirage.authoritative.store.ZoneManagement;
import jmirage.authoritative.zone.Zone;
import jmirage.authoritative.zone.Zones;
import jmirage.core.Bytes;
import jmirage.core.Cancellable;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.tls.x509.Certificate;

/**
 * The certify role's shell (decision 11): runs {@link CertifyCore} on the zones it is given, when
 * told a zone changed ({@link #changed}), daily, and when the core says a renewal or a retry falls
 * due; orders each certificate from the {@link Issuer}, answering DNS-01 through the
 * {@link ZoneWriter} ({@link ChallengeWriter}), and publishes the chain at the CSR's name, replacing
 * the {@code TLSA 3 0 0} and {@code TLSA 0 0 0} records there and keeping the CSR. Every step is
 * logged. Runs on the scheduler's loop.
 *
 * <p>Both modes use it: {@code zones} are the zones whose CSRs it serves (our own in primary mode)
 * and {@code writer} how it changes them.
 */
public final class Certifier {

    /** The longest wait between two looks at the zones, as dns-certify polls: daily. */
    public static final Duration DAILY = Duration.ofDays(1);

    private final Supplier<Zones> zones;
    private final ZoneWriter writer;
    private final Issuer issuer;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Log log;
    private CertifyCore.Memory memory = CertifyCore.Memory.EMPTY;
    private Cancellable wake;
    private boolean evaluationQueued;
    private boolean stopped;

    public Certifier(Supplier<Zones> zones, ZoneWriter writer, Issuer issuer, Scheduler scheduler, Clock clock, Log log) {
        this.zones = zones;
        this.writer = writer;
        this.issuer = issuer;
        this.scheduler = scheduler;
        this.clock = clock;
        this.log = log;
    }

    /**
     * The role in primary mode: CSRs read from our own zones, changes written to them as updates are
     * ({@link ZoneManagement#zoneWriter}); it looks again after every change of a {@code
     * _letsencrypt._tcp} name, whatever made it (an update, a push or pull of the git store, a
     * reload), and is started.
     */
    public static Certifier primary(ZoneManagement zones, Issuer issuer, Scheduler scheduler, Clock clock, Log log) {
        Certifier certifier = new Certifier(zones::primaries, zones.zoneWriter(), issuer, scheduler, clock, log);
        zones.subscribe(change -> {
            if (!change.secondary() && CertifyRecords.touched(change.before(), change.after())) {
                certifier.changed();
            }
        });
        certifier.start();
        return certifier;
    }

    /** Looks at the zones now, and from then on daily and whenever something falls due. */
    public void start() {
        log.info("certify role started: ordering certificates for the CSRs (TLSA 3 255 0) at _letsencrypt._tcp names");
        changed();
    }

    /** A zone's {@code _letsencrypt._tcp} records changed (an update, a push, a transfer): look again soon. */
    public void changed() {
        if (stopped || evaluationQueued) {
            return;
        }
        evaluationQueued = true;
        scheduler.execute(this::evaluate);
    }

    public void stop() {
        stopped = true;
        if (wake != null) {
            wake.cancel();
        }
    }

    /** What the role remembers now (orders in flight, failures and their retry times). */
    public CertifyCore.Memory memory() {
        return memory;
    }

    private void evaluate() {
        evaluationQueued = false;
        if (stopped) {
            return;
        }
        Instant now = clock.now();
        CertifyCore.Decision decision = CertifyCore.decide(memory, zones.get(), now);
        memory = decision.memory();
        for (CertifyCore.Action action : decision.actions()) {
            switch (action) {
                case CertifyCore.Action.Refuse(CertifyRecords.Published at, Refusal why) ->
                        log.warn("CSR at " + at.owner() + " refused, no certificate ordered: " + why.describe());
                case CertifyCore.Action.Order order -> order(order);
            }
        }
        Instant next = decision.next().filter(t -> t.isBefore(now.plus(DAILY))).orElse(now.plus(DAILY));
        if (wake != null) {
            wake.cancel();
        }
        Duration delay = Duration.between(now, next);
        wake = scheduler.schedule(delay.isNegative() ? Duration.ZERO : delay, this::changed);
    }

    private void order(CertifyCore.Action.Order order) {
        CertifyRecords.Published at = order.at();
        CertificateRequest request = order.request();
        log.info("ordering a certificate for " + String.join(", ", request.names()) + " (CSR at " + at.owner() + ", "
                + (order.why() == CertifyCore.Why.RENEWAL ? "renewal" : "no certificate yet") + ")");
        Promise<Optional<String>> ended;
        try {
            ended = issuer.issue(request.csr(), request.names(), new ChallengeWriter(writer)).flatMap(issued -> switch (issued) {
                case Result.Err<List<Certificate>, AcmeError>(AcmeError e) -> Promise.resolved(Optional.of(e.describe()));
                case Result.Ok<List<Certificate>, AcmeError>(List<Certificate> chain) -> publish(at, request, chain);
            });
        } catch (RuntimeException bug) {
            ended = Promise.rejected(bug);
        }
        ended.recover(bug -> Optional.of("internal error: " + bug)).onSuccess(failure -> {
            Bytes csr = request.csr().der();
            memory = CertifyCore.finished(memory, csr, clock.now(), failure);
            failure.ifPresent(why -> log.warn("certificate for " + String.join(", ", request.names()) + " not obtained: "
                    + why + "; retrying at " + memory.failures().get(csr).retryAt()));
            changed();
        });
    }

    /** Publishes {@code chain} at the CSR's name; empty when done (or no longer wanted), else why not. */
    private Promise<Optional<String>> publish(CertifyRecords.Published at, CertificateRequest request, List<Certificate> chain) {
        if (chain.isEmpty()) {
            return Promise.resolved(Optional.of("the CA gave no certificate"));
        }
        Certificate leaf = chain.getFirst();
        if (!CertifyCore.isFor(leaf, request)) {
            return Promise.resolved(Optional.of("the CA's certificate is not for the CSR (another key, or names missing)"));
        }
        Optional<Zone> zone = zones.get().find(at.owner());
        List<Rdata.Tlsa> present = zone.map(z -> CertifyRecords.tlsa(z, at.owner())).orElse(List.of());
        if (present.stream().noneMatch(t -> CertifyRecords.isCsr(t) && t.data().equals(request.csr().der()))) {
            log.info("the CSR at " + at.owner() + " changed while its certificate was ordered: certificate for "
                    + String.join(", ", request.names()) + " not published");
            return Promise.resolved(Optional.empty());
        }
        List<Record> remove = new ArrayList<>();
        for (Rdata.Tlsa t : present) {
            if (CertifyRecords.isEndEntity(t) || CertifyRecords.isChain(t)) {
                remove.add(Record.in(at.owner(), CertifyRecords.TTL, t));
            }
        }
        List<Record> add = new ArrayList<>();
        add.add(CertifyRecords.certificateRecord(at.owner(), CertifyRecords.USAGE_DOMAIN_ISSUED, leaf.der()));
        chain.subList(1, chain.size()).forEach(c -> add.add(CertifyRecords.certificateRecord(at.owner(), CertifyRecords.USAGE_CA,
                c.der())));
        String message = "certify: certificate for " + request.names().getFirst() + ", serial " + leaf.serial().toString(16)
                + ", valid until " + leaf.notAfter();
        return writer.change(remove, add, message).map(written -> switch (written) {
            case Result.Err<Unit, String>(String e) -> Optional.of("publishing it at " + at.owner() + ": " + e);
            case Result.Ok<Unit, String> ok -> {
                log.info("certificate for " + String.join(", ", request.names()) + " published at " + at.owner() + " (serial "
                        + leaf.serial().toString(16) + ", valid until " + leaf.notAfter() + ", renewal from "
                        + CertifyCore.renewAt(leaf.notBefore(), leaf.notAfter()) + ")");
                yield Optional.<String>empty();
            }
        });
    }
}
