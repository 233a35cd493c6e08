package jmirage.tls.x509;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Result;
import org.junit.jupiter.api.Test;

/**
 * Every case of x509-limbo (src/test/resources/x509-limbo/limbo.json, with its licence) through {@link PathValidator}.
 * The pass rate and each disagreement go to target/limbo-report.txt; the README explains them.
 */
class LimboTest {

    static final Path LIMBO = Path.of("src/test/resources/x509-limbo/limbo.json");

    record Outcome(String id, boolean expectedSuccess, boolean agreed, String detail) {}

    @SuppressWarnings("unchecked")
    static List<Outcome> runAll() throws Exception {
        assertTrue(Files.exists(LIMBO), "x509-limbo test data missing at " + LIMBO);
        Map<String, Object> root = (Map<String, Object>) Json.parse(Files.readString(LIMBO));
        List<Outcome> outcomes = new ArrayList<>();
        for (Object o : (List<Object>) root.get("testcases")) {
            Map<String, Object> t = (Map<String, Object>) o;
            String id = (String) t.get("id");
            boolean expectSuccess = "SUCCESS".equals(t.get("expected_result"));
            Result<ValidPath, String> r = run(t);
            boolean success = r.isOk();
            String detail = switch (r) {
                case Result.Ok<ValidPath, String> ok -> "accepted";
                case Result.Err<ValidPath, String>(String e) -> e;
            };
            outcomes.add(new Outcome(id, expectSuccess, success == expectSuccess, detail));
        }
        return outcomes;
    }

    @SuppressWarnings("unchecked")
    static Result<ValidPath, String> run(Map<String, Object> t) throws Exception {
        if (!"SERVER".equals(t.get("validation_kind")) && !"CLIENT".equals(t.get("validation_kind"))) {
            return Result.err("unsupported validation kind " + t.get("validation_kind"));
        }
        List<Certificate> anchors = new ArrayList<>();
        for (Object pem : (List<Object>) t.get("trusted_certs")) {
            Result<List<Certificate>, PemError> c = Pem.readCertificates((String) pem);
            if (!c.isOk()) {
                return Result.err("anchor: " + c);
            }
            anchors.addAll(c.orElseThrow());
        }
        List<Certificate> intermediates = new ArrayList<>();
        for (Object pem : (List<Object>) t.get("untrusted_intermediates")) {
            Result<List<Certificate>, PemError> c = Pem.readCertificates((String) pem);
            if (!c.isOk()) {
                return Result.err("intermediate: " + c);
            }
            intermediates.addAll(c.orElseThrow());
        }
        Result<List<Certificate>, PemError> leaf = Pem.readCertificates((String) t.get("peer_certificate"));
        if (!leaf.isOk()) {
            return Result.err("leaf: " + leaf);
        }
        Instant time = t.get("validation_time") == null ? Instant.now()
                : OffsetDateTime.parse((String) t.get("validation_time")).toInstant();
        Optional<PeerName> name = Optional.empty();
        Map<String, Object> peer = (Map<String, Object>) t.get("expected_peer_name");
        if (peer != null) {
            String value = (String) peer.get("value");
            name = Optional.of(switch ((String) peer.get("kind")) {
                case "DNS" -> new PeerName.Dns(value);
                case "IP" -> new PeerName.Ip(InetAddress.ofLiteral(value));
                default -> throw new IllegalArgumentException("peer name kind " + peer.get("kind"));
            });
        }
        Purpose purpose = "CLIENT".equals(t.get("validation_kind")) ? Purpose.CLIENT_AUTH : Purpose.SERVER_AUTH;
        int maxDepth = t.get("max_chain_depth") == null ? 8 : ((Double) t.get("max_chain_depth")).intValue();
        return PathValidator.validate(leaf.orElseThrow().get(0), intermediates, anchors, time, purpose, name, maxDepth)
                .mapError(PathFailure::describe);
    }

    @Test
    void atLeastNinetyFivePercentOfLimboAgrees() throws Exception {
        List<Outcome> outcomes = runAll();
        long agreed = outcomes.stream().filter(Outcome::agreed).count();
        StringBuilder report = new StringBuilder();
        report.append(String.format("x509-limbo: %d/%d agree (%.1f%%)%n", agreed, outcomes.size(),
                100.0 * agreed / outcomes.size()));
        for (Outcome o : outcomes) {
            if (!o.agreed()) {
                report.append(String.format("DISAGREE %s expected %s: %s%n", o.id(),
                        o.expectedSuccess() ? "SUCCESS" : "FAILURE", o.detail()));
            }
        }
        for (Outcome o : outcomes) {
            report.append(String.format("%s %s %s%n", o.agreed() ? "ok      " : "DISAGREE", o.id(), o.detail()));
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/limbo-report.txt"), report.toString());
        System.out.println(report.substring(0, report.indexOf("\n")));
        assertTrue(outcomes.size() >= 100, "limbo has its cases: " + outcomes.size());
        assertTrue(agreed * 100 >= 95L * outcomes.size(), report.toString());
    }
}
