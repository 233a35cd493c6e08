package jmirage.authoritative.certify;

import java.util.ArrayList;
import java.util.List;
import jmirage.acme.AcmeClient;
import jmirage.acme.LetsEncryptRoots;
import jmirage.acme.StackTransport;
import jmirage.authoritative.store.ZoneManagement;
import jmirage.core.Bytes;
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
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.Pem;
import jmirage.tls.x509.PemError;

/**
 * Starting the certify role with a real ACME client (platform/acme) on the unikernel's Stack: the
 * trust anchors of the ACME server's TLS (Let's Encrypt's roots and {@code --acme-ca}), the account
 * key (created once from the Random device, kept in the store at {@value #ACCOUNT_KEY_PATH}, reused
 * at every boot), the account registered, and the {@link Certifier} on our own zones (and one on our
 * secondary zones, writing to their primaries).
 */
public final class AcmeSetup {

    public static final String ACCOUNT_KEY_PATH = "_acme/account.key";
    public static final Key ACCOUNT_KEY = Key.of(ACCOUNT_KEY_PATH);

    private AcmeSetup() {}

    /** What {@code ./unikernel check} reads: the CA file, and the account key if there is one. Writes nothing. */
    public static Promise<List<ConfigProblem>> check(Kv kv, CertifyOptions.Config config) {
        return trustAnchors(kv, config).flatMap(anchors -> kv.get(ACCOUNT_KEY).map(key -> {
            List<ConfigProblem> problems = new ArrayList<>();
            if (anchors instanceof Result.Err<List<Certificate>, ConfigProblem>(ConfigProblem p)) {
                problems.add(p);
            }
            if (key instanceof Result.Ok<Bytes, KvError>(Bytes pem)
                    && readAccountKey(pem) instanceof Result.Err<KeyPair, ConfigProblem>(ConfigProblem p)) {
                problems.add(p);
            } else if (key instanceof Result.Err<Bytes, KvError>(KvError e) && !(e instanceof KvError.NotFound)) {
                problems.add(ConfigProblem.of(ACCOUNT_KEY_PATH, e.describe()));
            }
            return List.copyOf(problems);
        }));
    }

    /**
     * Starts the role in primary mode, and in secondary mode too when we are secondary for some zone
     * ({@link SecondaryMode}, one ACME account for both); an unreadable CA file or account key refuses the boot (with
     * the file and why). The account is registered in the background: while the ACME server cannot be
     * reached, each order tries again (with the role's backoff).
     */
    public static Promise<Result<List<Certifier>, String>> start(CertifyOptions.Config config, ZoneManagement zones, Kv kv, Stack stack,
            Scheduler scheduler, Clock clock, Random random, Log log) {
        return trustAnchors(kv, config).flatMap(anchors -> switch (anchors) {
            case Result.Err<List<Certificate>, ConfigProblem>(ConfigProblem p) -> Promise.resolved(Result.<List<Certifier>, String>err(p.describe()));
            case Result.Ok<List<Certificate>, ConfigProblem>(List<Certificate> trusted) -> accountKey(kv, random, log).map(key -> switch (key) {
                case Result.Err<KeyPair, ConfigProblem>(ConfigProblem p) -> Result.<List<Certifier>, String>err(p.describe());
                case Result.Ok<KeyPair, ConfigProblem>(KeyPair accountKey) -> {
                    StackTransport transport = new StackTransport(stack, scheduler, clock, random, trusted, config.resolver());
                    AcmeClient client = AcmeClient.create(transport, config.directory(), accountKey, scheduler, clock, log.named("acme"));
                    log.info("certify role on, ACME directory " + config.directory() + config.email().map(e -> ", contact " + e).orElse("")
                            + config.resolver().map(r -> ", names resolved by " + r).orElse(""));
                    client.account(config.email()).onSuccess(r -> {
                        if (r instanceof Result.Err<?, ?>(jmirage.acme.AcmeError e)) {
                            log.warn("ACME account not registered yet (tried again with the first order): " + e.describe());
                        }
                    });
                    List<Certifier> roles = new ArrayList<>(List.of(Certifier.primary(zones, client::issue, scheduler, clock, log)));
                    if (!zones.secondaryZones().isEmpty()) {
                        roles.add(SecondaryMode.certifier(zones, stack, random, client::issue, scheduler, clock, log.named("secondary")));
                    }
                    yield Result.<List<Certifier>, String>ok(List.copyOf(roles));
                }
            });
        });
    }

    /** Let's Encrypt's roots, and the certificates of {@code --acme-ca}. */
    static Promise<Result<List<Certificate>, ConfigProblem>> trustAnchors(Kv kv, CertifyOptions.Config config) {
        List<Certificate> anchors = new ArrayList<>(LetsEncryptRoots.anchors());
        if (config.ca().isEmpty()) {
            return Promise.resolved(Result.ok(List.copyOf(anchors)));
        }
        Key key = config.ca().get();
        return kv.get(key).map(read -> switch (read) {
            case Result.Err<Bytes, KvError>(KvError e) -> Result.err(ConfigProblem.of(key.toString(), "--acme-ca: " + e.describe()));
            case Result.Ok<Bytes, KvError>(Bytes pem) -> switch (Pem.readCertificates(pem.toUtf8())) {
                case Result.Err<List<Certificate>, PemError>(PemError e) -> Result.err(ConfigProblem.of(key.toString(),
                        "--acme-ca: not PEM certificates: " + e.describe()));
                case Result.Ok<List<Certificate>, PemError>(List<Certificate> cas) when cas.isEmpty() ->
                        Result.err(ConfigProblem.of(key.toString(), "--acme-ca: holds no certificate"));
                case Result.Ok<List<Certificate>, PemError>(List<Certificate> cas) -> {
                    anchors.addAll(cas);
                    yield Result.ok(List.copyOf(anchors));
                }
            };
        });
    }

    /** The account key from the store, or a new EC P-256 key committed there ("certify: ACME account key"). */
    static Promise<Result<KeyPair, ConfigProblem>> accountKey(Kv kv, Random random, Log log) {
        return kv.get(ACCOUNT_KEY).flatMap(read -> switch (read) {
            case Result.Ok<Bytes, KvError>(Bytes pem) -> Promise.resolved(readAccountKey(pem));
            case Result.Err<Bytes, KvError>(KvError e) when !(e instanceof KvError.NotFound) ->
                    Promise.resolved(Result.<KeyPair, ConfigProblem>err(ConfigProblem.of(ACCOUNT_KEY_PATH, e.describe())));
            case Result.Err<Bytes, KvError> notFound -> {
                KeyPair key = KeyPair.generate(KeyType.EC_P256, random);
                Batch batch = new Batch(PrimaryZoneWriter.AUTHOR, "certify: ACME account key",
                        List.of(new Change.Set(ACCOUNT_KEY, Bytes.utf8(Pem.privateKey(key)))));
                yield kv.commit(batch).map(c -> switch (c) {
                    case Result.Err<Unit, KvError>(KvError e) -> Result.<KeyPair, ConfigProblem>err(
                            ConfigProblem.of(ACCOUNT_KEY_PATH, "cannot store the new account key: " + e.describe()));
                    case Result.Ok<Unit, KvError> ok -> {
                        log.info("new ACME account key (EC P-256) stored at " + ACCOUNT_KEY_PATH);
                        yield Result.<KeyPair, ConfigProblem>ok(key);
                    }
                });
            }
        });
    }

    private static Result<KeyPair, ConfigProblem> readAccountKey(Bytes pem) {
        return switch (Pem.readPrivateKey(pem.toUtf8())) {
            case Result.Err<KeyPair, PemError>(PemError e) -> Result.err(ConfigProblem.of(ACCOUNT_KEY_PATH, "not a private key: "
                    + e.describe()));
            case Result.Ok<KeyPair, PemError>(KeyPair k) when k.type() == KeyType.ED25519 ->
                    Result.err(ConfigProblem.of(ACCOUNT_KEY_PATH, "an Ed25519 key: ACME account keys are EC P-256 or RSA (RFC 7518 3.1)"));
            case Result.Ok<KeyPair, PemError>(KeyPair k) -> Result.ok(k);
        };
    }
}
