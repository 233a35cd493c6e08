package jmirage.acme;

import java.net.URI;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jmirage.acme.jose.Base64Url;
import jmirage.acme.jose.Jwk;
import jmirage.acme.json.Json;
import jmirage.acme.json.JsonParser;
import jmirage.acme.json.JsonWriter;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.http.Headers;
import jmirage.http.HttpResponse;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.Csr;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.Pem;
import jmirage.tls.x509.X509;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/**
 * A small ACME server in memory, as the transport of the client under test: it checks what a real
 * one checks (every POST a JWS over the account key, with a nonce it issued and never saw, the URL
 * it was sent to, jwk for newAccount and kid after), validates a dns-01 challenge against the TXT
 * records the test's {@link RecordingDns01} holds at the moment the challenge is posted, and issues a
 * real certificate for the CSR from its own CA. Knobs make it misbehave the ways tests need.
 */
final class FakeAcme implements AcmeTransport {

    static final URI DIRECTORY = URI.create("https://ca.test/dir");

    private final String base;

    // knobs
    int rejectNonces;                       // the next N good nonces are refused with badNonce
    Optional<Integer> retryAfter = Optional.empty();   // seconds: the first poll after a challenge stays pending with it
    boolean stayPending;                    // authorizations never leave pending
    boolean silent;                         // no response ever
    final Map<String, HttpResponse> overrides = new HashMap<>();  // "METHOD path" -> canned response
    boolean authorizationsValid;            // authorizations already valid (reused), no challenge needed

    // what happened
    final List<String> requests = new ArrayList<>();
    final List<Instant> times = new ArrayList<>();

    private final Scheduler scheduler;
    private final java.util.function.Supplier<Instant> now;
    private final KeyPair accountKey;
    private final RecordingDns01 dns;
    private final Random random;
    private final KeyPair caKey;
    private final Certificate root;
    private final KeyPair intermediateKey;
    private final Certificate intermediate;

    private final Set<String> issuedNonces = new HashSet<>();
    private int nonceCounter;
    private boolean accountExists;
    private final Map<String, Map<String, Object>> authorizations = new LinkedHashMap<>();
    private String orderStatus = "pending";
    private List<String> orderNames = List.of();
    private Optional<String> certificatePem = Optional.empty();
    private int pollsAfterChallenge;

    FakeAcme(Scheduler scheduler, java.util.function.Supplier<Instant> now, KeyPair accountKey, RecordingDns01 dns, Random random) {
        this("https://ca.test", scheduler, now, accountKey, dns, random);
    }

    /** A server whose URLs start with {@code base}, as {@code https://10.0.0.2:8443}. */
    FakeAcme(String base, Scheduler scheduler, java.util.function.Supplier<Instant> now, KeyPair accountKey, RecordingDns01 dns,
             Random random) {
        this.base = base;
        this.scheduler = scheduler;
        this.now = now;
        this.accountKey = accountKey;
        this.dns = dns;
        this.random = random;
        Instant t = now.get();
        this.caKey = KeyPair.generate(KeyType.EC_P256, random);
        this.root = X509.selfSignedCa("Fake ACME root", caKey, t.minusSeconds(60), t.plus(Duration.ofDays(3650)), random);
        this.intermediateKey = KeyPair.generate(KeyType.EC_P256, random);
        this.intermediate = X509.issue("Fake ACME intermediate", List.of(), List.of(), intermediateKey.publicKey(),
                new X509.Profile.Ca(java.util.OptionalInt.of(0)), t.minusSeconds(60), t.plus(Duration.ofDays(365)), root, caKey, random);
    }

    Certificate root() {
        return root;
    }

    Certificate intermediate() {
        return intermediate;
    }

    int count(String request) {
        return (int) requests.stream().filter(request::equals).count();
    }

    @Override
    public Promise<Result<HttpResponse, AcmeError.Transport>> send(String method, URI url, Headers headers, Bytes body) {
        String path = url.getPath();
        requests.add(method + " " + path);
        times.add(now.get());
        if (silent) {
            return Promise.pending();
        }
        HttpResponse canned = overrides.get(method + " " + path);
        Promise<Result<HttpResponse, AcmeError.Transport>> answer = Promise.pending();
        // answered on a later turn of the loop, as a network would
        HttpResponse response = canned != null ? canned.withHeader("Replay-Nonce", nonce()) : handle(method, url, headers, body);
        scheduler.execute(() -> answer.resolve(Result.ok(response)));
        return answer;
    }

    private HttpResponse handle(String method, URI url, Headers headers, Bytes body) {
        String path = url.getPath();
        if (!headers.get("User-Agent").orElse("").startsWith("jmirage-acme")) {
            return problem(400, "malformed", "RFC 8555 6.1: no User-Agent");
        }
        if (method.equals("GET") && path.equals("/dir")) {
            // as Boulder: the directory (a GET) carries no Replay-Nonce, so the first nonce comes from newNonce
            return HttpResponse.of(200, Headers.of("Content-Type", "application/json"), JsonWriter.bytes(Json.object(
                    "newNonce", Json.string(base + "/nonce"), "newAccount", Json.string(base + "/account"),
                    "newOrder", Json.string(base + "/order"), "meta", Json.object("termsOfService", Json.string(base + "/tos")))));
        }
        if ((method.equals("GET") || method.equals("HEAD")) && path.equals("/nonce")) {
            return HttpResponse.empty(method.equals("GET") ? 204 : 200).withHeader("Replay-Nonce", nonce());
        }
        if (!method.equals("POST")) {
            return problem(405, "malformed", "method not allowed");
        }
        if (!headers.get("Content-Type").orElse("").equals("application/jose+json")) {
            return problem(415, "malformed", "not application/jose+json");
        }
        Json.Obj jws = (Json.Obj) JsonParser.parse(body).orElseThrow();
        Json.Obj header = (Json.Obj) JsonParser.parse(Base64Url.decode(jws.string("protected").orElseThrow()).orElseThrow()).orElseThrow();
        String nonce = header.string("nonce").orElse("");
        if (!issuedNonces.remove(nonce)) {
            return problem(400, "badNonce", "unknown or used nonce");
        }
        if (rejectNonces > 0) {
            rejectNonces--;
            return problem(400, "badNonce", "nonce rejected (test)");
        }
        if (!header.string("url").equals(Optional.of(url.toString()))) {
            return problem(401, "unauthorized", "url header is not the request URL");
        }
        if (!verify(jws)) {
            return problem(403, "malformed", "signature does not verify with the account key");
        }
        boolean newAccount = path.equals("/account");
        if (newAccount != header.get("jwk").isPresent() || newAccount == header.get("kid").isPresent()) {
            return problem(400, "malformed", "jwk for newAccount, kid otherwise");
        }
        if (!newAccount && !header.string("kid").equals(Optional.of(base + "/acct/1"))) {
            return problem(400, "accountDoesNotExist", "unknown kid");
        }
        if (newAccount && !header.object("jwk").equals(Optional.of(Jwk.of(accountKey)))) {
            return problem(400, "malformed", "jwk is not the account key");
        }
        String encodedPayload = jws.string("payload").orElseThrow();
        Optional<Json.Obj> payload = encodedPayload.isEmpty() ? Optional.empty()
                : Optional.of((Json.Obj) JsonParser.parse(Base64Url.decode(encodedPayload).orElseThrow()).orElseThrow());
        return route(path, payload);
    }

    private HttpResponse route(String path, Optional<Json.Obj> payload) {
        if (path.equals("/account")) {
            if (payload.flatMap(p -> p.bool("termsOfServiceAgreed")).orElse(false) != Boolean.TRUE) {
                return problem(403, "userActionRequired", "terms of service not agreed");
            }
            int status = accountExists ? 200 : 201;
            accountExists = true;
            return json(status, Json.object("status", Json.string("valid"))).withHeader("Location", base + "/acct/1");
        }
        if (path.equals("/order")) {
            List<String> names = new ArrayList<>();
            for (Json id : payload.orElseThrow().array("identifiers").orElseThrow()) {
                names.add(((Json.Obj) id).string("value").orElseThrow());
            }
            orderNames = List.copyOf(names);
            orderStatus = authorizationsValid ? "ready" : "pending";
            for (int i = 0; i < names.size(); i++) {
                Map<String, Object> a = new HashMap<>();
                a.put("name", names.get(i));
                a.put("status", authorizationsValid ? "valid" : "pending");
                a.put("challenge", "pending");
                a.put("token", "tok" + i + "_" + Base64Url.encode(random.bytes(16)));
                authorizations.put("/authz/" + i, a);
            }
            return json(201, order()).withHeader("Location", base + "/order/1");
        }
        if (path.startsWith("/authz/")) {
            Map<String, Object> a = authorizations.get(path);
            if (a == null) {
                return problem(404, "malformed", "no such authorization");
            }
            HttpResponse response = json(200, authorization(path, a));
            if (a.get("challenge").equals("processing") && retryAfter.isPresent() && pollsAfterChallenge++ == 0) {
                return response.withHeader("Retry-After", Integer.toString(retryAfter.get()));
            }
            if (a.get("challenge").equals("processing") && !stayPending) {
                decide(a);
                return json(200, authorization(path, a));
            }
            return response;
        }
        if (path.startsWith("/chall/")) {
            String authzPath = "/authz/" + path.substring("/chall/".length());
            Map<String, Object> a = authorizations.get(authzPath);
            // RFC 8555 8.4: the server looks the TXT record up when told to validate; keep what it saw now
            String expected = Base64Url.encode(Jwk.sha256(Bytes.utf8(a.get("token") + "." + Jwk.thumbprint(accountKey))));
            a.put("seen", dns.values((String) a.get("name")).contains(expected));
            a.put("challenge", "processing");
            return json(200, challenge(path.substring("/chall/".length()), a));
        }
        if (path.equals("/order/1")) {
            if (orderStatus.equals("pending") && authorizations.values().stream().allMatch(a -> a.get("status").equals("valid"))) {
                orderStatus = "ready";
            }
            if (orderStatus.equals("processing")) {
                orderStatus = "valid";
            }
            return json(200, order());
        }
        if (path.equals("/order/1/finalize")) {
            if (!orderStatus.equals("ready")) {
                return problem(403, "orderNotReady", "order is " + orderStatus);
            }
            Csr csr = new Csr(Base64Url.decode(payload.orElseThrow().string("csr").orElseThrow()).orElseThrow());
            Instant t = now.get();
            Result<Certificate, ?> leaf = X509.signCsr(csr, new X509.Profile.Server(), t, t.plus(Duration.ofDays(90)),
                    intermediate, intermediateKey, random);
            if (!leaf.isOk()) {
                return problem(400, "badCSR", "CSR refused: " + leaf);
            }
            certificatePem = Optional.of(Pem.certificates(List.of(leaf.orElseThrow(), intermediate)));
            orderStatus = "processing";
            return json(200, order()).withHeader("Retry-After", "1");
        }
        if (path.equals("/cert/1") && certificatePem.isPresent()) {
            return HttpResponse.of(200, Headers.of("Content-Type", "application/pem-certificate-chain"),
                    Bytes.utf8(certificatePem.get())).withHeader("Replay-Nonce", nonce());
        }
        return problem(404, "malformed", "nothing at " + path);
    }

    private void decide(Map<String, Object> a) {
        boolean valid = (Boolean) a.get("seen");
        a.put("challenge", valid ? "valid" : "invalid");
        a.put("status", valid ? "valid" : "invalid");
        if (!valid) {
            orderStatus = "invalid";
        }
    }

    private Json order() {
        List<Json> authz = new ArrayList<>();
        for (String path : authorizations.keySet()) {
            authz.add(Json.string(base + path));
        }
        List<Json> ids = orderNames.stream().<Json>map(n -> Json.object("type", Json.string("dns"), "value", Json.string(n))).toList();
        Json.Obj fields = Json.object("status", Json.string(orderStatus), "identifiers", Json.array(ids),
                "authorizations", Json.array(authz), "finalize", Json.string(base + "/order/1/finalize"));
        if (orderStatus.equals("valid")) {
            Map<String, Json> m = new LinkedHashMap<>(fields.members());
            m.put("certificate", Json.string(base + "/cert/1"));
            return new Json.Obj(m);
        }
        return fields;
    }

    private Json authorization(String path, Map<String, Object> a) {
        return Json.object("status", Json.string((String) a.get("status")),
                "identifier", Json.object("type", Json.string("dns"), "value", Json.string((String) a.get("name"))),
                "challenges", Json.array(List.of(
                        Json.object("type", Json.string("http-01"), "url", Json.string(base + "/http/" + path.substring(7)),
                                "token", Json.string("other"), "status", Json.string("pending")),
                        challenge(path.substring("/authz/".length()), a))));
    }

    private Json challenge(String index, Map<String, Object> a) {
        Map<String, Json> c = new LinkedHashMap<>();
        c.put("type", Json.string("dns-01"));
        c.put("url", Json.string(base + "/chall/" + index));
        c.put("token", Json.string((String) a.get("token")));
        c.put("status", Json.string((String) a.get("challenge")));
        if (a.get("challenge").equals("invalid")) {
            c.put("error", Json.object("type", Json.string("urn:ietf:params:acme:error:unauthorized"),
                    "detail", Json.string("incorrect TXT record found at _acme-challenge." + a.get("name"))));
        }
        return new Json.Obj(c);
    }

    private boolean verify(Json.Obj jws) {
        try {
            String alg = accountKey.type() == KeyType.EC_P256 ? "SHA256withECDSAinP1363Format" : "SHA256withRSA";
            PublicKey key = KeyFactory.getInstance(accountKey.type() == KeyType.EC_P256 ? "EC" : "RSA").generatePublic(
                    new X509EncodedKeySpec(SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(accountKey.publicKey()).getEncoded()));
            Signature s = Signature.getInstance(alg);
            s.initVerify(key);
            s.update(Bytes.utf8(jws.string("protected").orElseThrow() + "." + jws.string("payload").orElseThrow()).toArray());
            return s.verify(Base64Url.decode(jws.string("signature").orElseThrow()).orElseThrow().toArray());
        } catch (Exception e) {
            return false;
        }
    }

    private String nonce() {
        String n = "n" + (++nonceCounter) + Base64Url.encode(random.bytes(6));
        issuedNonces.add(n);
        return n;
    }

    private HttpResponse json(int status, Json body) {
        return HttpResponse.of(status, Headers.of("Content-Type", "application/json", "Replay-Nonce", nonce()), JsonWriter.bytes(body));
    }

    HttpResponse problem(int status, String type, String detail) {
        return HttpResponse.of(status, Headers.of("Content-Type", "application/problem+json", "Replay-Nonce", nonce()),
                JsonWriter.bytes(Json.object("type", Json.string("urn:ietf:params:acme:error:" + type), "detail", Json.string(detail),
                        "status", Json.number(status))));
    }
}
