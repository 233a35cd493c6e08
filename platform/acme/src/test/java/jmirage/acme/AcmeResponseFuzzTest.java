package jmirage.acme;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.http.Headers;
import jmirage.http.HttpResponse;
import jmirage.sim.Simulation;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.X509;

/**
 * Arbitrary responses, whatever was asked, into the client's whole flow (account, order,
 * authorizations, finalize, download): it ends with a certificate chain or an {@link AcmeError},
 * never an exception or a rejected promise. Half the bodies are ACME-shaped templates with fuzzed
 * fields, so that the fuzzer gets past the directory.
 */
class AcmeResponseFuzzTest {

    private static final KeyPair ACCOUNT = KeyPair.generate(KeyType.EC_P256, new jmirage.sim.SeededRandom(1));
    private static final jmirage.tls.x509.Csr CSR = X509.csr("a.test", List.of("a.test"),
            KeyPair.generate(KeyType.EC_P256, new jmirage.sim.SeededRandom(2)), new jmirage.sim.SeededRandom(3));

    private static final List<String> TEMPLATES = List.of(
            "{\"newNonce\":\"https://c/n\",\"newAccount\":\"https://c/a\",\"newOrder\":\"https://c/o\",\"meta\":{\"termsOfService\":\"%s\"}}",
            "{\"status\":\"%s\"}",
            "{\"status\":\"%s\",\"authorizations\":[\"https://c/z\"],\"finalize\":\"https://c/f\",\"certificate\":\"https://c/c\"}",
            "{\"status\":\"%s\",\"identifier\":{\"type\":\"dns\",\"value\":\"a.test\"},\"challenges\":[{\"type\":\"dns-01\","
                    + "\"url\":\"https://c/ch\",\"token\":\"tok\",\"status\":\"pending\"}]}",
            "{\"type\":\"%s\",\"detail\":\"d\"}",
            "-----BEGIN CERTIFICATE-----\n%s\n-----END CERTIFICATE-----\n");

    @FuzzTest(maxDuration = "20s")
    void anyResponsesGiveACertificateOrAnAcmeError(FuzzedDataProvider data) {
        List<HttpResponse> script = new ArrayList<>();
        int count = data.consumeInt(0, 40);
        for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
            int status = data.pickValue(new int[] {200, 201, 204, 400, 403, 404, 500, data.consumeInt(100, 999)});
            Headers headers = Headers.EMPTY;
            if (data.consumeBoolean()) {
                headers = headers.plus("Replay-Nonce", data.consumeString(40));
            }
            if (data.consumeBoolean()) {
                headers = headers.plus("Location", data.pickValue(new String[] {"https://c/acct", "https://c/o/1", data.consumeString(40)}));
            }
            if (data.consumeBoolean()) {
                headers = headers.plus("Retry-After", data.consumeString(30));
            }
            if (data.consumeBoolean()) {
                headers = headers.plus("Content-Type", data.pickValue(new String[] {"application/json", "application/problem+json"}));
            }
            Bytes body = data.consumeBoolean()
                    ? Bytes.utf8(TEMPLATES.get(data.consumeInt(0, TEMPLATES.size() - 1)).formatted(data.consumeString(60)))
                    : Bytes.of(data.consumeBytes(data.consumeInt(0, 400)));
            script.add(HttpResponse.of(status, headers, body));
        }
        Simulation sim = new Simulation(5);
        List<HttpResponse> remaining = new ArrayList<>(script);
        AcmeTransport transport = (method, url, headers, body) -> Promise.resolved(remaining.isEmpty()
                ? Result.err(new AcmeError.Transport("script over"))
                : Result.ok(remaining.removeFirst()));
        AcmeClient client = AcmeClient.create(transport, URI.create("https://c/dir"), ACCOUNT, sim.scheduler(), sim.clock(),
                sim.log("acme", LogLevel.WARN));
        Promise<Result<List<Certificate>, AcmeError>> issued = client.issue(CSR, List.of("a.test"), new RecordingDns01());
        sim.scheduler().runUntil(issued);
        assertTrue(issued.isResolved(), () -> "rejected: " + issued);
        if (issued.value() instanceof Result.Err<List<Certificate>, AcmeError>(AcmeError error)) {
            assertTrue(!error.describe().isEmpty());
        }
    }
}
