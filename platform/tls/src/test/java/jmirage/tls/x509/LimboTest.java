package jmirage.tls.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import jmirage.core.Result;
import org.junit.jupiter.api.Test;

/**
 * Every case of x509-limbo (src/test/resources/x509-limbo/limbo.json, with its licence) through {@link PathValidator}.
 * The cases where we disagree with limbo are pinned by id: the test fails when a pinned one starts
 * agreeing (remove it here and from the README) or another one disagrees. The pass rate and each
 * disagreement go to target/limbo-report.txt; the README explains each pinned case.
 */
class LimboTest {

    static final Path LIMBO = Path.of("src/test/resources/x509-limbo/limbo.json");

    /** The number of cases in the copy of limbo.json under src/test/resources. */
    static final int CASES = 135;

    /** Where we knowingly disagree with limbo; the README's x509-limbo section says why for each. */
    static final Set<String> KNOWN_DISAGREEMENTS = Set.of(
            // a CA certificate as the leaf: refused by our TLS policy on purpose
            "pathlen::validation-ignores-pathlen-in-leaf",
            // conflicts with webpki::nc::permitted-dns-match-noncritical; we follow CABF
            "rfc5280::nc::permitted-dns-match-noncritical",
            // the only SAN is a directoryName, yet the case asks for a DNS peer name (RFC 6125)
            "rfc5280::nc::permitted-dn-match",
            // conflicts with rfc5280::eku::ee-without-eku; we follow RFC 5280 4.2.1.12
            "webpki::eku::ee-without-eku",
            // a root's extKeyUsage limits its subtree (the Mozilla/Go rule), it does not void the root
            "webpki::eku::root-has-eku");

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

    static Result<ValidPath, String> run(Map<String, Object> t) throws Exception {
        if (!"SERVER".equals(t.get("validation_kind")) && !"CLIENT".equals(t.get("validation_kind"))) {
            return Result.err("unsupported validation kind " + t.get("validation_kind"));
        }
        return certificates(t.get("trusted_certs"), "anchor").flatMap(anchors ->
                certificates(t.get("untrusted_intermediates"), "intermediate").flatMap(intermediates ->
                        certificates(List.of(t.get("peer_certificate")), "leaf").flatMap(leaf ->
                                validate(t, leaf.get(0), intermediates, anchors))));
    }

    /** Every certificate of a list of PEM texts; the first that does not read is an error named {@code what}. */
    @SuppressWarnings("unchecked")
    private static Result<List<Certificate>, String> certificates(Object pems, String what) {
        List<Certificate> all = new ArrayList<>();
        for (Object pem : (List<Object>) pems) {
            Result<List<Certificate>, PemError> c = Pem.readCertificates((String) pem);
            if (!c.isOk()) {
                return Result.err(what + ": " + c);
            }
            all.addAll(c.orElseThrow());
        }
        return Result.ok(all);
    }

    @SuppressWarnings("unchecked")
    private static Result<ValidPath, String> validate(Map<String, Object> t, Certificate leaf,
            List<Certificate> intermediates, List<Certificate> anchors) {
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
        return PathValidator.validate(leaf, intermediates, anchors, time, purpose, name, maxDepth)
                .mapError(PathFailure::describe);
    }

    @Test
    void limboAgreesExceptOnThePinnedCases() throws Exception {
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
        assertEquals(CASES, outcomes.size(), "limbo has its cases");
        Set<String> disagreements = outcomes.stream().filter(o -> !o.agreed()).map(Outcome::id)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(KNOWN_DISAGREEMENTS), disagreements, report.toString());
    }
}
