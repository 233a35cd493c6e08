package jmirage.acme;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import jmirage.acme.jose.Base64Url;
import jmirage.acme.jose.Jwk;
import jmirage.acme.jose.Jws;
import jmirage.acme.json.Json;
import jmirage.acme.json.JsonWriter;
import jmirage.core.Bytes;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.http.Headers;
import jmirage.http.HttpResponse;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.Csr;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.Pem;
import jmirage.tls.x509.PemError;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * An ACME client (RFC 8555) for one account on one server: {@link #account} registers the account
 * key (or finds the account it already has), {@link #issue} orders a certificate for a CSR and
 * answers the DNS-01 challenges through a {@link Dns01}. It holds no socket: every request goes
 * through the {@link AcmeTransport}. Call it on the scheduler's loop; it keeps the directory, the
 * account URL and the next nonce between calls.
 */
public final class AcmeClient {

    /**
     * How long and how often the client waits.
     *
     * @param requestTimeout  one request, from sending to the whole response
     * @param badNonceRetries how many times a request refused with badNonce is sent again (RFC 8555 6.5)
     * @param pollInterval    the wait between polls when the server gives no Retry-After
     * @param maxRetryAfter   the longest Retry-After honoured; a longer one is cut to this
     * @param pollAttempts    polls of one authorization or order at most
     * @param pollTotal       how long one authorization or order may stay undecided, and the
     *                        {@link Dns01} may take to publish or remove a record
     */
    public record Limits(Duration requestTimeout, int badNonceRetries, Duration pollInterval, Duration maxRetryAfter,
                         int pollAttempts, Duration pollTotal) {
        public Limits {
            if (badNonceRetries < 0 || pollAttempts < 1 || requestTimeout.isNegative() || requestTimeout.isZero()
                    || pollInterval.isNegative() || maxRetryAfter.isNegative() || pollTotal.isNegative()) {
                throw new IllegalArgumentException("invalid ACME client limits");
            }
        }

        /** 30 s per request, 5 badNonce retries, polls every 2 s (Retry-After up to 60 s), 60 polls within 10 minutes. */
        public static Limits defaults() {
            return new Limits(Duration.ofSeconds(30), 5, Duration.ofSeconds(2), Duration.ofSeconds(60), 60,
                    Duration.ofMinutes(10));
        }
    }

    private static final String JOSE = "application/jose+json";
    /** RFC 8555 6.1: every request carries a User-Agent naming the client. */
    private static final String USER_AGENT = "jmirage-acme";

    private final AcmeTransport transport;
    private final URI directoryUrl;
    private final KeyPair accountKey;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Log log;
    private final Limits limits;
    private final String thumbprint;

    // shell state, on the loop
    private Optional<Directory> directory = Optional.empty();
    private Optional<String> nonce = Optional.empty();
    private Optional<Promise<Result<URI, AcmeError>>> account = Optional.empty();

    private AcmeClient(AcmeTransport transport, URI directoryUrl, KeyPair accountKey, Scheduler scheduler, Clock clock,
                       Log log, Limits limits) {
        this.transport = transport;
        this.directoryUrl = directoryUrl;
        this.accountKey = accountKey;
        this.scheduler = scheduler;
        this.clock = clock;
        this.log = log;
        this.limits = limits;
        Jws.algorithm(accountKey); // refuses an Ed25519 key now rather than at the first request
        this.thumbprint = Jwk.thumbprint(accountKey);
    }

    /**
     * A client for the server whose directory is at {@code directory}, with {@code accountKey} (EC
     * P-256 or RSA; an Ed25519 key is refused with IllegalArgumentException) and default limits.
     */
    public static AcmeClient create(AcmeTransport transport, URI directory, KeyPair accountKey, Scheduler scheduler,
                                    Clock clock, Log log) {
        return create(transport, directory, accountKey, scheduler, clock, log, Limits.defaults());
    }

    public static AcmeClient create(AcmeTransport transport, URI directory, KeyPair accountKey, Scheduler scheduler,
                                    Clock clock, Log log, Limits limits) {
        return new AcmeClient(transport, directory, accountKey, scheduler, clock, log, limits);
    }

    /** The account key's JWK thumbprint (RFC 7638), the second half of every key authorization. */
    public String thumbprint() {
        return thumbprint;
    }

    /**
     * The account URL ({@code kid}) of the account key: newAccount with the terms of service agreed
     * (RFC 8555 7.3); the same key again gives the existing account (200 and its Location). The
     * answer is kept; a failure is not, so the next call tries again.
     */
    public Promise<Result<URI, AcmeError>> account(Optional<String> contactEmail) {
        if (account.isPresent() && (!account.get().isDone() || account.get().isResolved() && account.get().value().isOk())) {
            return account.get();
        }
        Promise<Result<URI, AcmeError>> registering = bind(directory(), dir -> {
            List<Json> contact = contactEmail.<List<Json>>map(e -> List.of(Json.string("mailto:" + e))).orElse(List.of());
            Json payload = contact.isEmpty()
                    ? Json.object("termsOfServiceAgreed", new Json.Bool(true))
                    : Json.object("termsOfServiceAgreed", new Json.Bool(true), "contact", Json.array(contact));
            return bind(post(dir.newAccount(), new Jws.Signer.Key(), Optional.of(payload), Headers.EMPTY), response -> {
                Result<URI, AcmeError> kid = Responses.location(response, dir.newAccount());
                if (kid instanceof Result.Ok<URI, AcmeError>(URI url)) {
                    // RFC 8555 7.3: 201 for a new account, 200 when the key already has one
                    log.info("ACME account " + url + (response.status() == 201 ? " created" : " found") + " at " + directoryUrl
                            + dir.termsOfService().map(t -> ", terms of service agreed: " + t).orElse(""));
                }
                return Promise.resolved(kid);
            });
        });
        account = Optional.of(registering);
        return registering;
    }

    /**
     * A certificate for {@code csr}, ordered for {@code names} (dns identifiers, RFC 8555 7.4), each
     * authorization answered by DNS-01 through {@code dns01} (RFC 8555 8.4): the chain, end-entity
     * first. Registers the account first when not yet done.
     */
    public Promise<Result<List<Certificate>, AcmeError>> issue(Csr csr, List<String> names, Dns01 dns01) {
        List<String> identifiers = List.copyOf(names);
        return bind(account(Optional.empty()), kid -> bind(directory(), dir -> {
            List<Json> ids = identifiers.stream()
                    .<Json>map(n -> Json.object("type", Json.string("dns"), "value", Json.string(n))).toList();
            Jws.Signer signer = new Jws.Signer.Kid(kid);
            return bind(post(dir.newOrder(), signer, Optional.of(Json.object("identifiers", Json.array(ids))), Headers.EMPTY),
                    response -> bind(Promise.resolved(Responses.location(response, dir.newOrder())), orderUrl ->
                            bind(Promise.resolved(Responses.json(response).flatMap(j -> Order.parse(j, orderUrl))), order -> {
                                log.info("ACME order " + orderUrl + " for " + String.join(", ", identifiers) + ": " + order.status());
                                return bind(authorizeAll(signer, order.authorizations(), 0, dns01),
                                        done -> finish(signer, orderUrl, order, csr));
                            })));
        }));
    }

    // --- the order, step by step ---

    private Promise<Result<Unit, AcmeError>> authorizeAll(Jws.Signer signer, List<URI> authorizations, int index, Dns01 dns01) {
        if (index == authorizations.size()) {
            return Promise.resolved(Result.ok());
        }
        return bind(authorize(signer, authorizations.get(index), dns01),
                done -> authorizeAll(signer, authorizations, index + 1, dns01));
    }

    /** One authorization: nothing to do when valid; else answer its dns-01 challenge and wait for the verdict. */
    private Promise<Result<Unit, AcmeError>> authorize(Jws.Signer signer, URI url, Dns01 dns01) {
        return bind(fetch(signer, url, json -> Authorization.parse(json, url)), authz -> {
            log.info("ACME authorization " + url + " for " + (authz.wildcard() ? "*." : "") + authz.identifier() + ": "
                    + authz.status());
            // RFC 8555 7.1.6: valid needs nothing (an authorization reused); pending needs an answer; the rest is final
            return switch (authz.status()) {
                case "valid" -> Promise.resolved(Result.<AcmeError>ok());
                case "pending" -> challenge(signer, url, authz, dns01);
                default -> Promise.resolved(Result.<Unit, AcmeError>err(new AcmeError.Invalid(authz.failure())));
            };
        });
    }

    private Promise<Result<Unit, AcmeError>> challenge(Jws.Signer signer, URI url, Authorization authz, Dns01 dns01) {
        Optional<Authorization.Challenge> found = authz.dns01();
        if (found.isEmpty()) {
            return Promise.resolved(Result.err(new AcmeError.Protocol("no dns-01 challenge for " + authz.identifier())));
        }
        Authorization.Challenge challenge = found.get();
        // RFC 8555 8.1: the token is base64url, at least 128 bits of entropy
        Optional<String> token = challenge.token().filter(t -> !t.isEmpty() && t.chars().allMatch(Responses::base64url));
        if (token.isEmpty()) {
            return Promise.resolved(Result.err(new AcmeError.Protocol("the dns-01 challenge for " + authz.identifier()
                    + " has no valid token")));
        }
        // RFC 8555 8.1 and 8.4: key authorization = token "." thumbprint; the TXT value is base64url(SHA-256 of it)
        String keyAuthorization = token.get() + "." + thumbprint;
        String txt = Base64Url.encode(Jwk.sha256(Bytes.utf8(keyAuthorization)));
        String identifier = authz.identifier();
        Promise<Result<Unit, AcmeError>> answered = bind(publish(dns01, identifier, txt), published -> {
            log.info("ACME dns-01 for " + identifier + ": TXT published, asking " + challenge.url() + " to validate");
            Promise<Result<Unit, AcmeError>> respond = challenge.status().equals("pending")
                    ? bind(post(challenge.url(), signer, Optional.of(Json.object()), Headers.EMPTY),
                            r -> Promise.resolved(Result.ok()))
                    : Promise.resolved(Result.ok()); // already processing: an earlier attempt asked
            return bind(respond, asked -> bind(
                    poll("authorization for " + identifier, signer, url, json -> Authorization.parse(json, url),
                            a -> !a.status().equals("pending")),
                    decided -> {
                        log.info("ACME authorization " + url + " for " + identifier + ": " + decided.status());
                        return Promise.resolved(decided.status().equals("valid")
                                ? Result.ok()
                                : Result.err(new AcmeError.Invalid(decided.failure())));
                    }));
        });
        // RFC 8555 8.4: the record is no longer needed once the authorization is decided, valid or not
        return answered.flatMap(outcome -> scheduler.withTimeout(dns01.remove(identifier, txt)
                        .recover(failure -> Result.err("the remove failed: " + failure)),
                        limits.pollTotal(), Result.err("not removed within " + limits.pollTotal().toSeconds() + " s"))
                .map(removed -> {
                    if (removed instanceof Result.Err<Unit, String>(String reason)) {
                        log.warn("ACME dns-01 for " + identifier + ": TXT not removed: " + reason);
                    } else {
                        log.info("ACME dns-01 for " + identifier + ": TXT removed");
                    }
                    return outcome;
                }));
    }

    private Promise<Result<Unit, AcmeError>> publish(Dns01 dns01, String identifier, String txt) {
        Promise<Result<Unit, String>> published;
        try {
            published = dns01.publish(identifier, txt);
        } catch (RuntimeException bug) {
            published = Promise.rejected(bug);
        }
        // a zone that never answers must not hold the order forever: the publish gets the time an authorization gets
        return scheduler.withTimeout(published.recover(failure -> Result.err("the publish failed: " + failure)),
                        limits.pollTotal(), Result.err("not published within " + limits.pollTotal().toSeconds() + " s"))
                .map(r -> r.mapError(reason -> (AcmeError) new AcmeError.Challenge(identifier, reason)));
    }

    /** Once every authorization is valid: wait for ready, finalize with the CSR, wait for valid, download. */
    private Promise<Result<List<Certificate>, AcmeError>> finish(Jws.Signer signer, URI orderUrl, Order order, Csr csr) {
        Function<Json, Result<Order, AcmeError>> parse = json -> Order.parse(json, orderUrl);
        Promise<Result<Order, AcmeError>> ready = order.status().equals("pending")
                ? poll("order " + orderUrl, signer, orderUrl, parse, o -> !o.status().equals("pending"))
                : Promise.resolved(Result.ok(order));
        return bind(ready, current -> {
            Promise<Result<Order, AcmeError>> finalized;
            switch (current.status()) {
                case "ready" -> {
                    log.info("ACME order " + orderUrl + ": finalizing with the CSR");
                    // RFC 8555 7.4: the CSR's DER, base64url
                    Json payload = Json.object("csr", Json.string(Base64Url.encode(csr.der())));
                    finalized = bind(post(current.finalizeUrl(), signer, Optional.of(payload), Headers.EMPTY),
                            response -> bind(Promise.resolved(Responses.json(response).flatMap(parse)),
                                    after -> after.status().equals("processing")
                                            ? poll("order " + orderUrl, signer, orderUrl, parse, o -> !o.status().equals("processing"))
                                            : Promise.resolved(Result.ok(after))));
                }
                case "processing" -> finalized = poll("order " + orderUrl, signer, orderUrl, parse,
                        o -> !o.status().equals("processing"));
                case "valid" -> finalized = Promise.resolved(Result.ok(current));
                default -> finalized = Promise.resolved(Result.err(new AcmeError.Invalid("order " + orderUrl + " is "
                        + current.status() + current.error().map(e -> ": " + e).orElse(""))));
            }
            return bind(finalized, done -> {
                if (!done.status().equals("valid") || done.certificate().isEmpty()) {
                    return Promise.resolved(Result.err(new AcmeError.Invalid("order " + orderUrl + " ended " + done.status()
                            + done.error().map(e -> ": " + e).orElse(""))));
                }
                return download(signer, done.certificate().get(), csr);
            });
        });
    }

    /** RFC 8555 7.4.2: POST-as-GET the certificate URL for the PEM chain, end-entity first. */
    private Promise<Result<List<Certificate>, AcmeError>> download(Jws.Signer signer, URI url, Csr csr) {
        return bind(post(url, signer, Optional.empty(), Headers.of("Accept", "application/pem-certificate-chain")), response -> {
            Result<List<Certificate>, AcmeError> chain = Pem.readCertificates(response.bytes().toUtf8())
                    .mapError((PemError e) -> (AcmeError) new AcmeError.Protocol("the certificate chain: " + e))
                    .flatMap(certificates -> checkChain(certificates, csr));
            if (chain instanceof Result.Ok<List<Certificate>, AcmeError>(List<Certificate> certificates)) {
                Certificate leaf = certificates.getFirst();
                log.info("ACME certificate " + url + ": serial " + leaf.serial().toString(16) + ", not after "
                        + leaf.notAfter() + ", chain of " + certificates.size());
            }
            return Promise.resolved(chain);
        });
    }

    /** RFC 8555 9.1: the end-entity certificate comes first; it must be for the CSR's key. */
    private static Result<List<Certificate>, AcmeError> checkChain(List<Certificate> certificates, Csr csr) {
        if (certificates.isEmpty()) {
            return Result.err(new AcmeError.Protocol("the certificate chain is empty"));
        }
        Optional<Bytes> csrKey = csrPublicKey(csr);
        Bytes leafKey;
        try {
            leafKey = Bytes.adopt(certificates.getFirst().publicKeyInfo().getEncoded());
        } catch (java.io.IOException e) {
            return Result.err(new AcmeError.Protocol("the certificate's key cannot be encoded"));
        }
        if (csrKey.isPresent() && !csrKey.get().equals(leafKey)) {
            return Result.err(new AcmeError.Protocol("the first certificate of the chain is not for the CSR's key"));
        }
        return Result.ok(List.copyOf(certificates));
    }

    private static Optional<Bytes> csrPublicKey(Csr csr) {
        try {
            return Optional.of(Bytes.adopt(new PKCS10CertificationRequest(csr.der().toArray())
                    .getSubjectPublicKeyInfo().getEncoded()));
        } catch (java.io.IOException | RuntimeException unreadable) {
            return Optional.empty(); // the server refused such a CSR at finalize (badCSR) before we got here
        }
    }

    // --- requests ---

    private Promise<Result<Directory, AcmeError>> directory() {
        if (directory.isPresent()) {
            return Promise.resolved(Result.ok(directory.get()));
        }
        return bind(send("GET", directoryUrl, Headers.EMPTY, Bytes.EMPTY), response -> {
            Result<Directory, AcmeError> parsed = Responses.json(response).flatMap(json -> Directory.parse(json, directoryUrl));
            if (parsed instanceof Result.Ok<Directory, AcmeError>(Directory d)) {
                directory = Optional.of(d);
            }
            return Promise.resolved(parsed);
        });
    }

    /**
     * A nonce for the next request: the one the last response gave, or a fresh one from newNonce
     * (RFC 8555 7.2: GET answers 204 with the Replay-Nonce; GET rather than HEAD, whose bodiless
     * response an HTTP/1.1 client must be told about).
     */
    private Promise<Result<String, AcmeError>> nextNonce() {
        if (nonce.isPresent()) {
            String n = nonce.get();
            nonce = Optional.empty();
            return Promise.resolved(Result.ok(n));
        }
        return bind(directory(), dir -> bind(send("GET", dir.newNonce(), Headers.EMPTY, Bytes.EMPTY), response -> {
            Optional<String> fresh = nonce;
            nonce = Optional.empty();
            if (Responses.success(response) instanceof Result.Err<HttpResponse, AcmeError>(AcmeError e)) {
                return Promise.resolved(Result.err(e));
            }
            return Promise.resolved(fresh.<Result<String, AcmeError>>map(Result::ok)
                    .orElse(Result.err(new AcmeError.Protocol("newNonce gave no Replay-Nonce"))));
        }));
    }

    /** A signed POST; a success response, or the problem as the error; badNonce is retried with the nonce it came with. */
    private Promise<Result<HttpResponse, AcmeError>> post(URI url, Jws.Signer signer, Optional<Json> payload, Headers extra) {
        return post(url, signer, payload, extra, 0);
    }

    private Promise<Result<HttpResponse, AcmeError>> post(URI url, Jws.Signer signer, Optional<Json> payload, Headers extra,
                                                          int retry) {
        return bind(nextNonce(), n -> {
            Bytes body = JsonWriter.bytes(Jws.sign(accountKey, signer, n, url, payload));
            Headers headers = extra.with("Content-Type", JOSE);
            return bind(send("POST", url, headers, body), response -> {
                Result<HttpResponse, AcmeError> checked = Responses.success(response);
                if (checked instanceof Result.Err<HttpResponse, AcmeError>(AcmeError.Problem p)
                        && p.type().equals(Responses.BAD_NONCE) && retry < limits.badNonceRetries()) {
                    log.info("ACME " + url + ": badNonce, retrying with the nonce the error came with");
                    return post(url, signer, payload, extra, retry + 1);
                }
                return Promise.resolved(checked);
            });
        });
    }

    /** POST-as-GET (RFC 8555 6.3) of a resource, parsed. */
    private <T> Promise<Result<T, AcmeError>> fetch(Jws.Signer signer, URI url, Function<Json, Result<T, AcmeError>> parse) {
        return bind(post(url, signer, Optional.empty(), Headers.EMPTY),
                response -> Promise.resolved(Responses.json(response).flatMap(parse)));
    }

    /**
     * Fetches {@code url} until {@code decided}, waiting Retry-After (RFC 8555 7.5.1, capped) or the
     * poll interval between fetches, within the attempts and the total time of the limits.
     */
    private <T> Promise<Result<T, AcmeError>> poll(String what, Jws.Signer signer, URI url,
                                                   Function<Json, Result<T, AcmeError>> parse,
                                                   java.util.function.Predicate<T> decided) {
        return poll(what, signer, url, parse, decided, clock.monotonicNanos(), 1);
    }

    private <T> Promise<Result<T, AcmeError>> poll(String what, Jws.Signer signer, URI url,
                                                   Function<Json, Result<T, AcmeError>> parse,
                                                   java.util.function.Predicate<T> decided, long started, int attempt) {
        return bind(post(url, signer, Optional.empty(), Headers.EMPTY), response -> {
            Result<T, AcmeError> parsed = Responses.json(response).flatMap(parse);
            if (!(parsed instanceof Result.Ok<T, AcmeError>(T value)) || decided.test(value)) {
                return Promise.resolved(parsed);
            }
            Duration wait = Responses.retryAfter(response, clock.now())
                    .map(d -> d.compareTo(limits.maxRetryAfter()) > 0 ? limits.maxRetryAfter() : d)
                    .orElse(limits.pollInterval());
            Duration elapsed = Duration.ofNanos(clock.monotonicNanos() - started);
            if (attempt >= limits.pollAttempts() || elapsed.plus(wait).compareTo(limits.pollTotal()) > 0) {
                return Promise.resolved(Result.err(new AcmeError.Timeout(what + " still undecided after " + attempt
                        + " polls in " + elapsed.toSeconds() + " s")));
            }
            log.debug(() -> "ACME " + what + ": undecided, polling again in " + wait.toMillis() + " ms");
            return scheduler.sleep(wait).flatMap(slept -> poll(what, signer, url, parse, decided, started, attempt + 1));
        });
    }

    /** One exchange through the transport, bounded in time; every response's Replay-Nonce is kept (RFC 8555 6.5). */
    private Promise<Result<HttpResponse, AcmeError>> send(String method, URI url, Headers headers, Bytes body) {
        Promise<Result<HttpResponse, AcmeError.Transport>> sent;
        try {
            sent = transport.send(method, url, headers.with("User-Agent", USER_AGENT), body);
        } catch (RuntimeException bug) {
            sent = Promise.rejected(bug);
        }
        Promise<Result<HttpResponse, AcmeError.Transport>> safe = sent
                .recover(failure -> Result.err(new AcmeError.Transport(method + " " + url + " failed: " + failure)));
        return scheduler.withTimeout(safe, limits.requestTimeout(), Result.err(new AcmeError.Transport(
                        method + " " + url + ": no response within " + limits.requestTimeout().toSeconds() + " s")))
                .map(result -> {
                    if (result instanceof Result.Ok<HttpResponse, AcmeError.Transport>(HttpResponse response)) {
                        Responses.nonce(response).ifPresent(n -> nonce = Optional.of(n));
                    }
                    return result.mapError(e -> (AcmeError) e);
                });
    }

    /** The next step when {@code first} succeeded; its error otherwise. */
    private static <A, B> Promise<Result<B, AcmeError>> bind(Promise<Result<A, AcmeError>> first,
                                                             Function<A, Promise<Result<B, AcmeError>>> next) {
        return first.flatMap(result -> switch (result) {
            case Result.Ok<A, AcmeError>(A value) -> next.apply(value);
            case Result.Err<A, AcmeError>(AcmeError error) -> Promise.resolved(Result.err(error));
        });
    }

    @Override
    public String toString() {
        return "AcmeClient[" + directoryUrl + "]";
    }
}
