package jmirage.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.Pem;
import jmirage.tls.x509.PemError;
import jmirage.tls.x509.X509;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/**
 * A TLS server's certificate chain and key: {@link #CERTIFICATE} and {@link #KEY} (PEM) from the
 * Kv, or, when both are missing, a self-signed certificate made now and stored there (so clients
 * that pinned it see the same one after a restart), with a warning: it is for trying the server,
 * and curl's {@code --cacert} or kdig's {@code +tls-ca}; a real deployment replaces the two files.
 * Every service that serves TLS (CalDAV over HTTPS, the resolver's DNS over TLS and HTTPS) keeps
 * its pair here, under the same two keys.
 */
public final class SelfSigned {

    /** The certificate chain, leaf first, in PEM. */
    public static final Key CERTIFICATE = Key.of("tls/server.pem");
    /** The leaf's private key, in PEM. */
    public static final Key KEY = Key.of("tls/server.key");

    /** Names a fresh certificate is valid for besides the operator's --tls-name. */
    public static final List<String> LOCAL_NAMES = List.of("localhost");
    public static final List<InetAddress> LOCAL_ADDRESSES = List.of(InetAddress.ofLiteral("127.0.0.1"), InetAddress.ofLiteral("::1"));
    /** Valid from a day before now (clock skew) for 825 days, the longest Apple's clients accept. */
    static final Duration BACKDATE = Duration.ofDays(1);
    static final Duration LIFETIME = Duration.ofDays(825);

    /** The chain and key, and whether they were made at this boot. */
    public record Loaded(Credentials credentials, boolean generated) {}

    private SelfSigned() {}

    /** The stored pair, checked (decision 6: what boot reads, the check reads): empty when neither file exists. */
    public static Promise<Result<Optional<Credentials>, TlsSetupError>> read(Kv kv) {
        return kv.get(CERTIFICATE).flatMap(cert -> kv.get(KEY).map(key -> {
            boolean noCert = cert instanceof Result.Err<Bytes, KvError>(KvError.NotFound nf);
            boolean noKey = key instanceof Result.Err<Bytes, KvError>(KvError.NotFound nf);
            if (noCert && noKey) {
                return Result.ok(Optional.<Credentials>empty());
            }
            if (noCert) {
                return Result.err(new TlsSetupError.HalfPair(CERTIFICATE, KEY));
            }
            if (noKey) {
                return Result.err(new TlsSetupError.HalfPair(KEY, CERTIFICATE));
            }
            return switch (cert) {
                case Result.Err<Bytes, KvError>(KvError e) -> Result.err(new TlsSetupError.Unreadable(CERTIFICATE, e));
                case Result.Ok<Bytes, KvError>(Bytes certPem) -> switch (key) {
                    case Result.Err<Bytes, KvError>(KvError e) -> Result.err(new TlsSetupError.Unreadable(KEY, e));
                    case Result.Ok<Bytes, KvError>(Bytes keyPem) -> parse(certPem, keyPem).map(Optional::of);
                };
            };
        }));
    }

    /**
     * The stored pair, or a self-signed one made for {@code names} (plus localhost) and stored, in a
     * batch by {@code service}.
     */
    public static Promise<Result<Loaded, TlsSetupError>> loadOrCreate(Kv kv, String service, Random random, Instant now,
            List<String> names, Log log) {
        return read(kv).flatMap(stored -> switch (stored) {
            case Result.Err<Optional<Credentials>, TlsSetupError>(TlsSetupError e) -> Promise.resolved(Result.<Loaded, TlsSetupError>err(e));
            case Result.Ok<Optional<Credentials>, TlsSetupError>(Optional<Credentials> c) when c.isPresent() -> {
                Certificate leaf = c.get().leaf();
                if (now.isAfter(leaf.notAfter())) {
                    log.warn("the TLS certificate in '" + CERTIFICATE + "' expired at " + leaf.notAfter()
                            + ": clients will refuse it; replace it (or remove tls/server.pem and tls/server.key for a new self-signed one)");
                }
                yield Promise.resolved(Result.<Loaded, TlsSetupError>ok(new Loaded(c.get(), false)));
            }
            case Result.Ok<Optional<Credentials>, TlsSetupError>(Optional<Credentials> none) -> {
                Credentials made = make(random, now, names);
                Batch batch = new Batch(service, service + ": a self-signed TLS certificate for " + dnsNames(names), List.of(
                        new Change.Set(CERTIFICATE, Bytes.utf8(Pem.certificates(made.chain()))),
                        new Change.Set(KEY, Bytes.utf8(Pem.privateKey(made.key())))));
                yield kv.commit(batch).map(r -> switch (r) {
                    case Result.Err<Unit, KvError>(KvError e) -> Result.<Loaded, TlsSetupError>err(new TlsSetupError.CannotStore(CERTIFICATE, e));
                    case Result.Ok<Unit, KvError> ok -> {
                        log.warn("made a self-signed TLS certificate for " + dnsNames(names) + " " + LOCAL_ADDRESSES.stream()
                                .map(InetAddress::getHostAddress).toList() + ", valid until " + made.leaf().notAfter()
                                + ": clients will warn about it; replace " + CERTIFICATE + " and " + KEY
                                + " in the store with a real certificate (or use the Let's Encrypt unikernel)");
                        yield Result.<Loaded, TlsSetupError>ok(new Loaded(made, true));
                    }
                });
            }
        });
    }

    /**
     * A self-signed server certificate (EC P-256) for the names and the loopback addresses. X509 has
     * no self-signed leaf with addresses, so the leaf is issued by a template certificate of the
     * same name and key: the result is signed by its own key and names itself as issuer.
     */
    public static Credentials make(Random random, Instant now, List<String> names) {
        KeyPair key = KeyPair.generate(KeyType.EC_P256, random);
        List<String> dns = dnsNames(names);
        Instant from = now.minus(BACKDATE);
        Instant to = now.plus(LIFETIME);
        Certificate template = X509.selfSigned(dns.getFirst(), dns, key, new X509.Profile.Server(), from, to, random);
        Certificate leaf = X509.issue(dns.getFirst(), dns, LOCAL_ADDRESSES, key.publicKey(), new X509.Profile.Server(), from, to,
                template, key, random);
        return new Credentials(List.of(leaf), key);
    }

    private static List<String> dnsNames(List<String> names) {
        LinkedHashSet<String> all = new LinkedHashSet<>(names);
        all.addAll(LOCAL_NAMES);
        return new ArrayList<>(all);
    }

    private static Result<Credentials, TlsSetupError> parse(Bytes certPem, Bytes keyPem) {
        Result<List<Certificate>, PemError> chain = Pem.readCertificates(certPem.toUtf8());
        if (chain instanceof Result.Err<List<Certificate>, PemError>(PemError e)) {
            return Result.err(new TlsSetupError.BadPem(CERTIFICATE, e));
        }
        if (chain.orElseThrow().isEmpty()) {
            return Result.err(new TlsSetupError.NoCertificate(CERTIFICATE));
        }
        Result<KeyPair, PemError> key = Pem.readPrivateKey(keyPem.toUtf8());
        if (key instanceof Result.Err<KeyPair, PemError>(PemError e)) {
            return Result.err(new TlsSetupError.BadPem(KEY, e));
        }
        Credentials credentials = new Credentials(chain.orElseThrow(), key.orElseThrow());
        return matches(credentials) ? Result.ok(credentials) : Result.err(new TlsSetupError.KeyDoesNotMatch(KEY));
    }

    private static boolean matches(Credentials c) {
        try {
            return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(c.key().publicKey()).equals(c.leaf().publicKeyInfo());
        } catch (IOException e) {
            return false;
        }
    }

}
