package jmirage.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.Result;
import jmirage.http.Headers;
import jmirage.http.HttpResponse;
import jmirage.sim.Simulation;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.Csr;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.X509;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

/** The client against {@link FakeAcme} on virtual time: the whole flow, and each way it goes wrong. */
class AcmeClientTest {

    private final Simulation sim = new Simulation(17);
    private final KeyPair accountKey = KeyPair.generate(KeyType.EC_P256, sim.random());
    private final RecordingDns01 dns = new RecordingDns01();
    private final FakeAcme server = new FakeAcme(sim.scheduler(), sim.clock()::now, accountKey, dns, sim.random());
    private final AcmeClient client = AcmeClient.create(server, FakeAcme.DIRECTORY, accountKey, sim.scheduler(), sim.clock(),
            sim.log("acme", LogLevel.INFO));
    private final KeyPair serviceKey = KeyPair.generate(KeyType.EC_P256, sim.random());
    private final Csr csr = X509.csr("a.test", List.of("a.test", "b.test"), serviceKey, sim.random());

    private Result<List<Certificate>, AcmeError> issue() {
        return sim.await(client.issue(csr, List.of("a.test", "b.test"), dns));
    }

    private AcmeError issueError() {
        return switch (issue()) {
            case Result.Ok<List<Certificate>, AcmeError>(List<Certificate> chain) -> throw new AssertionError("issued " + chain);
            case Result.Err<List<Certificate>, AcmeError>(AcmeError e) -> e;
        };
    }

    private boolean logged(String fragment) {
        return sim.records().stream().map(LogRecord::message).anyMatch(m -> m.contains(fragment));
    }

    @Test
    void issuesTheChainEndEntityFirstAnsweringEachChallengeInDns() throws Exception {
        List<Certificate> chain = issue().orElseThrow();
        assertEquals(2, chain.size());
        assertEquals(new PKCS10CertificationRequest(csr.der().toArray()).getSubjectPublicKeyInfo(), chain.get(0).publicKeyInfo());
        assertEquals(server.intermediate(), chain.get(1));
        assertEquals(List.of("publish a.test", "remove a.test", "publish b.test", "remove b.test"), dns.calls);
        assertTrue(dns.empty(), "every challenge TXT removed");
        assertEquals(1, server.count("POST /account"));
        assertEquals(1, server.count("POST /order/1/finalize"));
        assertTrue(logged("ACME account https://ca.test/acct/1 created"));
        assertTrue(logged("ACME order https://ca.test/order/1 for a.test, b.test: pending"));
        assertTrue(logged("ACME authorization https://ca.test/authz/0 for a.test: valid"));
        assertTrue(logged("finalizing with the CSR"));
        assertTrue(logged("serial " + chain.get(0).serial().toString(16) + ", not after " + chain.get(0).notAfter()));
    }

    @Test
    void anRsaAccountKeySignsWithRs256() {
        KeyPair rsa = KeyPair.generate(KeyType.RSA_2048, sim.random());
        FakeAcme rsaServer = new FakeAcme(sim.scheduler(), sim.clock()::now, rsa, dns, sim.random());
        AcmeClient rsaClient = AcmeClient.create(rsaServer, FakeAcme.DIRECTORY, rsa, sim.scheduler(), sim.clock(),
                sim.log("acme-rsa", LogLevel.INFO));
        assertTrue(sim.await(rsaClient.issue(csr, List.of("a.test"), dns)).isOk());
        assertEquals(1, rsaServer.count("POST /account"), "one newAccount, its RS256 signature accepted");
    }

    @Test
    void theSameKeyFindsItsAccountAndOneClientAsksOnce() {
        URI first = sim.await(client.account(Optional.of("ops@example.org"))).orElseThrow();
        assertEquals(first, sim.await(client.account(Optional.empty())).orElseThrow());
        assertEquals(1, server.count("POST /account"));
        AcmeClient again = AcmeClient.create(server, FakeAcme.DIRECTORY, accountKey, sim.scheduler(), sim.clock(),
                sim.log("acme2", LogLevel.INFO));
        assertEquals(first, sim.await(again.account(Optional.empty())).orElseThrow());
        assertTrue(logged("ACME account https://ca.test/acct/1 found"));
    }

    @Test
    void badNonceIsRetriedWithTheNonceTheErrorBrought() {
        server.rejectNonces = 2;
        assertTrue(issue().isOk());
        assertEquals(3, server.count("POST /account"));
        assertEquals(1, server.count("GET /nonce"), "only the first nonce is fetched; the others come with responses");
    }

    @Test
    void badNonceRetriesAreBounded() {
        server.rejectNonces = 1000;
        AcmeError error = issueError();
        assertEquals(new AcmeError.Problem(400, "urn:ietf:params:acme:error:badNonce", "nonce rejected (test)"), error);
        assertEquals(1 + AcmeClient.Limits.defaults().badNonceRetries(), server.count("POST /account"));
    }

    @Test
    void aFailedChallengeIsInvalidAndItsTxtIsRemoved() {
        dns.corrupt = true;
        AcmeError error = issueError();
        assertTrue(error instanceof AcmeError.Invalid(String reason) && reason.contains("a.test is invalid")
                && reason.contains("incorrect TXT record"), error.describe());
        assertEquals(List.of("publish a.test", "remove a.test"), dns.calls);
        assertTrue(dns.empty());
        assertEquals(0, server.count("POST /order/1/finalize"));
    }

    @Test
    void retryAfterIsHonouredBetweenPolls() {
        server.retryAfter = Optional.of(7);
        assertTrue(issue().isOk());
        Duration gap = gapAfter("POST /authz/0", 2);
        assertTrue(gap.compareTo(Duration.ofSeconds(7)) >= 0 && gap.compareTo(Duration.ofSeconds(8)) < 0, gap.toString());
    }

    @Test
    void aLongRetryAfterIsCutToTheLimit() {
        server.retryAfter = Optional.of(100_000);
        assertTrue(issue().isOk());
        Duration gap = gapAfter("POST /authz/0", 2);
        assertTrue(gap.compareTo(Duration.ofSeconds(60)) >= 0 && gap.compareTo(Duration.ofSeconds(61)) < 0, gap.toString());
    }

    /** The virtual time between the {@code nth} occurrence of {@code request} and the one before it. */
    private Duration gapAfter(String request, int nth) {
        Instant previous = null;
        int seen = 0;
        for (int i = 0; i < server.requests.size(); i++) {
            if (server.requests.get(i).equals(request)) {
                seen++;
                if (seen == nth + 1) {
                    return Duration.between(previous, server.times.get(i));
                }
                previous = server.times.get(i);
            }
        }
        throw new AssertionError(request + " not seen " + (nth + 1) + " times: " + server.requests);
    }

    @Test
    void aProblemDocumentBecomesAProblem() {
        server.overrides.put("POST /order", server.problem(400, "rejectedIdentifier", "b.test is forbidden"));
        assertEquals(new AcmeError.Problem(400, "urn:ietf:params:acme:error:rejectedIdentifier", "b.test is forbidden"), issueError());
        assertTrue(dns.calls.isEmpty());
    }

    @Test
    void malformedJsonIsAProtocolError() {
        server.overrides.put("GET /dir", HttpResponse.of(200, Headers.of("Content-Type", "application/json"), Bytes.utf8("{\"newNonce\": ")));
        AcmeError error = issueError();
        assertTrue(error instanceof AcmeError.Protocol(String reason) && reason.contains("invalid JSON at byte 13"), error.describe());
    }

    @Test
    void anErrorStatusWithoutAProblemIsAProtocolError() {
        server.overrides.put("POST /order", HttpResponse.text(502, "bad gateway"));
        assertEquals(new AcmeError.Protocol("status 502 without a problem document"), issueError());
    }

    @Test
    void aServerThatNeverAnswersIsATransportErrorAfterTheRequestTimeout() {
        server.silent = true;
        Instant start = sim.clock().now();
        AcmeError error = issueError();
        assertTrue(error instanceof AcmeError.Transport(String reason) && reason.contains("no response within 30 s"), error.describe());
        assertEquals(Duration.ofSeconds(30), Duration.between(start, sim.clock().now()));
    }

    @Test
    void anAuthorizationThatStaysPendingTimesOutAndItsTxtIsRemoved() {
        server.stayPending = true;
        Instant start = sim.clock().now();
        AcmeError error = issueError();
        assertTrue(error instanceof AcmeError.Timeout(String what) && what.contains("authorization for a.test"), error.describe());
        Duration took = Duration.between(start, sim.clock().now());
        assertTrue(took.compareTo(AcmeClient.Limits.defaults().pollTotal()) <= 0, took.toString());
        assertEquals(AcmeClient.Limits.defaults().pollAttempts(), server.count("POST /authz/0") - 1);
        assertTrue(dns.empty());
    }

    @Test
    void aTxtThatCannotBePublishedIsAChallengeErrorAndNothingIsValidated() {
        dns.failPublish = true;
        AcmeError error = issueError();
        assertEquals(new AcmeError.Challenge("a.test", "zone refused the update (test)"), error);
        assertEquals(0, server.count("POST /chall/0"));
        assertEquals(List.of("publish a.test", "remove a.test"), dns.calls);
    }

    @Test
    void aDns01ThatNeverAnswersIsAChallengeErrorWithinTheLimit() {
        dns.hang = true;
        Instant start = sim.clock().now();
        AcmeError error = issueError();
        assertEquals(new AcmeError.Challenge("a.test", "not published within 600 s"), error);
        Duration took = Duration.between(start, sim.clock().now());
        assertTrue(took.compareTo(Duration.ofMinutes(10)) >= 0 && took.compareTo(Duration.ofMinutes(11)) < 0, took.toString());
        assertEquals(0, server.count("POST /chall/0"));
    }

    @Test
    void validAuthorizationsAreNotChallengedAgain() {
        server.authorizationsValid = true;
        assertTrue(issue().isOk());
        assertTrue(dns.calls.isEmpty());
    }
}
