package jmirage.certify;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import jmirage.core.Bytes;
import jmirage.core.Cancellable;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.core.net.Stack;
import jmirage.dns.DecodeError;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Record;
import jmirage.dns.tsig.Tsig;
import jmirage.dns.tsig.TsigError;
import jmirage.tls.Credentials;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.Pem;
import jmirage.tls.x509.PemError;
import jmirage.tls.x509.X509;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/**
 * A unikernel's certificate through DNS (decision 11), the shell over {@link CertifyCore}: the key
 * made once (EC P-256) and kept in the Kv, the CSR published at {@code _letsencrypt._tcp.NAME} by a
 * TSIG-signed update, the TLSA records polled until a certificate for our key appears, which is put
 * in the {@link #slot()} (and kept in the Kv so that a restart serves it at once), then polled for
 * a renewal that is swapped in. Only the Stack reaches the server, so it runs on every target.
 * Call it on the loop.
 */
public final class Certify {

    /** The devices it uses. */
    public record Devices(Stack stack, Scheduler scheduler, Clock clock, Random random, Kv kv, Log log) {
        public Devices {
            Objects.requireNonNull(stack);
            Objects.requireNonNull(scheduler);
            Objects.requireNonNull(clock);
            Objects.requireNonNull(random);
            Objects.requireNonNull(kv);
            Objects.requireNonNull(log);
        }
    }

    private final Devices devices;
    private final CertifyConfig config;
    private final KeyPair key;
    private final SubjectPublicKeyInfo ours;
    private final CertificateSlot slot;
    private final Log log;
    private final Set<Bytes> reported = new HashSet<>();
    private Optional<Credentials> certified;
    private int misses;
    private long looks;
    private Cancellable next;
    private boolean polling;
    private boolean stopped;

    private Certify(Devices devices, CertifyConfig config, KeyPair key, Optional<Credentials> stored, Credentials fallback) {
        this.devices = devices;
        this.config = config;
        this.key = key;
        this.ours = spki(key);
        this.certified = stored;
        this.slot = new CertificateSlot(stored.orElse(fallback));
        this.log = devices.log().named("certify");
    }

    /** The Kv key of the private key (PKCS#8 PEM) for {@code config}'s hostname. */
    public static Key keyKey(CertifyConfig config) {
        return Key.of("certify").child(CertifyConfig.text(config.hostname()) + ".key");
    }

    /** The Kv key of the last good certificate chain (PEM, leaf first) for {@code config}'s hostname. */
    public static Key chainKey(CertifyConfig config) {
        return Key.of("certify").child(CertifyConfig.text(config.hostname()) + ".pem");
    }

    /**
     * Loads the key (or makes and stores it) and the stored certificate, then starts polling. The
     * slot presents the stored certificate if it is still ours and valid, else {@code fallback}
     * (the service's own, self-signed say) until the certificate arrives. Fails only on the Kv.
     */
    public static Promise<Result<Certify, CertifyError>> start(Devices devices, CertifyConfig config, Credentials fallback) {
        Key keyAt = keyKey(config);
        return storedKey(devices.kv(), keyAt).flatMap(stored -> switch (stored) {
            case Result.Err<Optional<KeyPair>, CertifyError>(CertifyError e) -> Promise.resolved(Result.<KeyPair, CertifyError>err(e));
            case Result.Ok<Optional<KeyPair>, CertifyError>(Optional<KeyPair> k) when k.isPresent() ->
                    Promise.resolved(Result.<KeyPair, CertifyError>ok(k.get()));
            case Result.Ok<Optional<KeyPair>, CertifyError> none -> {
                KeyPair made = KeyPair.generate(KeyType.EC_P256, devices.random());
                yield devices.kv().commit(new Batch("certify", "certify: a new key for " + CertifyConfig.text(config.hostname()),
                        List.of(new Change.Set(keyAt, Bytes.utf8(Pem.privateKey(made)))))).map(set -> switch (set) {
                            case Result.Ok<Unit, KvError> ok -> {
                                devices.log().named("certify").info("made a new EC P-256 key for "
                                        + CertifyConfig.text(config.hostname()) + ", kept at '" + keyAt + "'");
                                yield Result.<KeyPair, CertifyError>ok(made);
                            }
                            case Result.Err<Unit, KvError>(KvError e) -> Result.<KeyPair, CertifyError>err(
                                    new CertifyError.Storage(keyAt, e));
                        });
            }
        }).flatMap(k -> switch (k) {
            case Result.Err<KeyPair, CertifyError>(CertifyError e) -> Promise.resolved(Result.<Certify, CertifyError>err(e));
            case Result.Ok<KeyPair, CertifyError>(KeyPair pair) -> stored(devices, config, pair).map(stored -> {
                Certify certify = new Certify(devices, config, pair, stored, fallback);
                certify.schedule(Duration.ZERO);
                return Result.<Certify, CertifyError>ok(certify);
            });
        });
    }

    /**
     * What {@link #start} refuses on, for {@code ./unikernel check} (decision 6): a key in the Kv that
     * cannot be used, or a Kv that cannot be read there. Writes nothing.
     */
    public static Promise<List<ConfigProblem>> check(Kv kv, CertifyConfig config) {
        Key keyAt = keyKey(config);
        return storedKey(kv, keyAt).map(r -> r instanceof Result.Err<Optional<KeyPair>, CertifyError>(CertifyError e)
                ? List.of(ConfigProblem.of(keyAt.toString(), e.describe())) : List.of());
    }

    /** The key kept at {@code keyAt}, empty when there is none; an error when it is there but unusable. */
    private static Promise<Result<Optional<KeyPair>, CertifyError>> storedKey(Kv kv, Key keyAt) {
        return kv.get(keyAt).map(got -> switch (got) {
            case Result.Ok<Bytes, KvError>(Bytes pem) -> switch (Pem.readPrivateKey(pem.toUtf8())) {
                case Result.Ok<KeyPair, PemError>(KeyPair k) when k.type() == KeyType.EC_P256 -> Result.ok(Optional.of(k));
                case Result.Ok<KeyPair, PemError>(KeyPair k) ->
                        Result.err(new CertifyError.StoredKeyUnreadable(keyAt, "a " + k.type() + " key, not EC P-256"));
                case Result.Err<KeyPair, PemError>(PemError e) -> Result.err(new CertifyError.StoredKeyUnreadable(keyAt, e.describe()));
            };
            case Result.Err<Bytes, KvError>(KvError.NotFound nf) -> Result.ok(Optional.empty());
            case Result.Err<Bytes, KvError>(KvError e) -> Result.err(new CertifyError.Storage(keyAt, e));
        });
    }

    /** The certificate kept by an earlier run, if it is still ours and valid; else empty, with the reason logged. */
    private static Promise<Optional<Credentials>> stored(Devices devices, CertifyConfig config, KeyPair key) {
        Key at = chainKey(config);
        Log log = devices.log().named("certify");
        return devices.kv().get(at).map(got -> switch (got) {
            case Result.Err<Bytes, KvError>(KvError.NotFound nf) -> Optional.<Credentials>empty();
            case Result.Err<Bytes, KvError>(KvError e) -> {
                log.warn("cannot read the kept certificate at '" + at + "': " + e.describe());
                yield Optional.<Credentials>empty();
            }
            case Result.Ok<Bytes, KvError>(Bytes pem) -> switch (Pem.readCertificates(pem.toUtf8())) {
                case Result.Err<List<Certificate>, PemError>(PemError e) -> {
                    log.warn("the kept certificate at '" + at + "' is unreadable (" + e.describe() + "): waiting for one");
                    yield Optional.<Credentials>empty();
                }
                case Result.Ok<List<Certificate>, PemError>(List<Certificate> chain) -> {
                    CertifyCore.Verdict v = CertifyCore.verdict(devices.clock().now(), spki(key), config.dnsNames(),
                            chain.getFirst());
                    if (v instanceof CertifyCore.Verdict.Usable) {
                        log.info("serving the kept certificate " + about(chain.getFirst()));
                        yield Optional.of(new Credentials(chain, key));
                    }
                    log.info("not serving the kept certificate " + about(chain.getFirst()) + ": " + v.describe());
                    yield Optional.<Credentials>empty();
                }
            };
        });
    }

    /** What TLS servers present: read it for each new connection ({@link CertificateSlot#serverConfig}). */
    public CertificateSlot slot() {
        return slot;
    }

    /** The certificate obtained through DNS that the slot presents, if one has arrived (or was kept). */
    public Optional<Credentials> certified() {
        return certified;
    }

    /** Our key pair (its private half never leaves the Kv and this object). */
    public KeyPair key() {
        return key;
    }

    public CertifyConfig config() {
        return config;
    }

    /** Looks at the records done since start (for tests and metrics). */
    long looks() {
        return looks;
    }

    /** Looks at once (SIGHUP, or after the operator changed the records), then on the usual schedule. */
    public void refresh() {
        if (!stopped && !polling) {
            schedule(Duration.ZERO);
        }
    }

    /** Stops polling; the slot keeps presenting what it has. */
    public void stop() {
        stopped = true;
        if (next != null) {
            next.cancel();
        }
    }

    private void schedule(Duration after) {
        if (next != null) {
            next.cancel();
        }
        next = devices.scheduler().schedule(after, this::poll);
    }

    /** One look: query the records, take a better certificate, publish our CSR if it is not there. */
    private void poll() {
        if (stopped || polling) {
            return;
        }
        polling = true;
        Message query = CertifyCore.query(config, devices.random().nextInt(0x10000));
        DnsExchange.exchange(devices.stack(), devices.scheduler(), config.server(), MessageCodec.encode(query))
                .map(wire -> wire.flatMap(w -> CertifyCore.answer(query, w)))
                .flatMap(records -> switch (records) {
                    case Result.Err<List<Record>, CertifyError>(CertifyError e) -> {
                        log.warn("looking up " + config.recordName() + " TLSA: " + e.describe());
                        yield Promise.resolved(false);
                    }
                    case Result.Ok<List<Record>, CertifyError>(List<Record> r) -> act(CertifyCore.observe(
                            devices.clock().now(), ours, config.dnsNames(), r));
                })
                .onComplete((found, failure) -> {
                    polling = false;
                    looks++;
                    if (failure != null) {
                        log.error("certify poll failed: " + failure);
                    }
                    boolean usable = failure == null && found;
                    misses = usable ? 0 : misses + 1;
                    Duration wait = CertifyCore.nextPoll(devices.clock().now(), certified.map(Credentials::leaf), misses);
                    log.debug(() -> "next look at " + config.recordName() + " in " + wait);
                    if (!stopped) {
                        schedule(wait);
                    }
                });
    }

    /** Acts on what the records say; resolves with whether a usable certificate is there. */
    private Promise<Boolean> act(CertifyCore.Observation seen) {
        for (CertifyCore.Ignored i : seen.ignored()) {
            if (reported.add(i.certificate().der())) {
                log.warn("ignoring the certificate " + about(i.certificate()) + " at " + config.recordName() + ": "
                        + i.why().describe());
            }
        }
        Promise<Unit> stored = Promise.done();
        if (seen.current().isPresent()
                && !seen.current().get().equals(certified.map(Credentials::chain).orElse(List.of()))) {
            Credentials next = new Credentials(seen.current().get(), key);
            boolean renewal = certified.isPresent();
            certified = Optional.of(next);
            slot.swap(next);
            log.info((renewal ? "swapped in the renewed certificate " : "serving the certificate ") + about(next.leaf())
                    + " with " + (next.chain().size() - 1) + " chain certificates");
            stored = devices.kv().commit(new Batch("certify", "certify: the certificate for "
                    + CertifyConfig.text(config.hostname()) + " until " + next.leaf().notAfter(),
                    List.of(new Change.Set(chainKey(config), Bytes.utf8(Pem.certificates(next.chain()))))))
                    .map(r -> {
                        if (r instanceof Result.Err<Unit, KvError>(KvError e)) {
                            log.warn("cannot keep the certificate at '" + chainKey(config) + "': " + e.describe()
                                    + " (a restart will wait for it again)");
                        }
                        return Unit.UNIT;
                    });
        }
        boolean usable = seen.current().isPresent();
        if (seen.csrPublished()) {
            return stored.map(u -> usable);
        }
        return stored.flatMap(u -> publish(seen.staleCsrs())).map(published -> {
            switch (published) {
                case Result.Ok<Unit, CertifyError> ok -> log.info("published the CSR for " + config.dnsNames() + " at "
                        + config.recordName() + (seen.staleCsrs().isEmpty() ? "" : ", replacing " + seen.staleCsrs().size()));
                case Result.Err<Unit, CertifyError>(CertifyError e) -> log.warn("publishing the CSR at "
                        + config.recordName() + ": " + e.describe());
            }
            return usable;
        });
    }

    /** One TSIG-signed update (RFC 2136, RFC 8945) replacing the stale CSRs with ours; its answer verified. */
    private Promise<Result<Unit, CertifyError>> publish(List<Record> stale) {
        Message update = CertifyCore.update(config, X509.csr(CertifyConfig.text(config.hostname()), config.dnsNames(), key,
                devices.random()), stale, devices.random().nextInt(0x10000));
        Tsig.Signed signed = Tsig.signRequest(update, config.key(), devices.clock().now(), Tsig.DEFAULT_FUDGE);
        return DnsExchange.exchange(devices.stack(), devices.scheduler(), config.server(), signed.wire())
                .map(answer -> answer.flatMap(wire -> updateAnswer(update, wire, signed.mac(), devices.clock().now())));
    }

    /** The answer to our update: ours (ID), NOERROR, and signed by the server with our key (RFC 8945 5.3). */
    private Result<Unit, CertifyError> updateAnswer(Message update, Bytes wire, Bytes requestMac, Instant now) {
        Message m;
        switch (MessageCodec.decode(wire)) {
            case Result.Ok<Message, DecodeError>(Message decoded) -> m = decoded;
            case Result.Err<Message, DecodeError>(DecodeError e) -> {
                return Result.err(new CertifyError.BadAnswer("malformed update answer: " + e.describe()));
            }
        }
        if (!m.header().qr() || m.header().id() != update.header().id() || m.header().opcode() != Header.UPDATE) {
            return Result.err(new CertifyError.BadAnswer("the update's answer is not for our update"));
        }
        if (m.header().rcode() != Header.NOERROR) {
            return Result.err(new CertifyError.Refused("the update", m.header().rcode()));
        }
        return switch (Tsig.verifyResponse(wire, config.key(), now, requestMac)) {
            case Result.Ok<Tsig.Verified, TsigError> ok -> Result.ok(Unit.UNIT);
            case Result.Err<Tsig.Verified, TsigError>(TsigError e) ->
                    Result.err(new CertifyError.BadAnswer("the update's answer: " + e.describe()));
        };
    }

    private static String about(Certificate c) {
        return c.subject() + " serial " + c.serial().toString(16) + " (" + c.notBefore() + " to " + c.notAfter() + ")";
    }

    private static SubjectPublicKeyInfo spki(KeyPair key) {
        try {
            return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key.publicKey());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("encoding our own public key", e);
        }
    }
}
