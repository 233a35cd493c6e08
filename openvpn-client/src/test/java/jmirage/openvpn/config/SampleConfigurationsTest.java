package jmirage.openvpn.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jmirage.core.Result;
import org.junit.jupiter.api.Test;

/**
 * Every configuration of miragevpn's test/sample-configuration-files (copied to the test resources)
 * reads to the outcome written here: a client configuration (with the directives it ignores named),
 * or the errors that refuse it, each with the line and the reason.
 */
class SampleConfigurationsTest {

    /** File to its outcome: "client" or the first error's text. */
    static final Map<String, String> OUTCOMES = new TreeMap<>(Map.ofEntries(
            Map.entry("IPredator-CLI-Password.conf", "line 25: 'comp-lzo': compression is refused"),
            Map.entry("client-tcp-certauth-passauth.conf", "client"),
            Map.entry("client.conf", "client"),
            Map.entry("inline-all.conf", "no 'ca': the server's certificate could not be verified"),
            Map.entry("inline-secret-direction-reverse.conf", "line 7: 'secret': static-key mode is refused"),
            Map.entry("inline-secret-direction.conf", "line 4: 'secret': static-key mode is refused"),
            Map.entry("minimal-client.conf", "no 'ca': the server's certificate could not be verified"),
            Map.entry("minimal-server.conf", "line 2: 'tls-server' makes this a server configuration"),
            Map.entry("multi-ca-client.conf", "client"),
            Map.entry("server-tcp-certauth-passauth.conf", "line 1: 'tls-server' makes this a server configuration"),
            Map.entry("server-tcp.conf", "line 2: 'tls-server' makes this a server configuration"),
            Map.entry("server.conf", "line 22: 'tls-server' makes this a server configuration"),
            Map.entry("static-home-inline-secret-no-secret-inline.conf", "line 74: 'secret': static-key mode is refused"),
            Map.entry("static-home-inline-secret.conf", "line 27: 'secret': static-key mode is refused"),
            Map.entry("static-home.conf", "line 27: 'secret': static-key mode is refused"),
            Map.entry("static-office.conf", "line 24: 'secret': static-key mode is refused"),
            Map.entry("tls-crypt-v2-client.conf", "client"),
            Map.entry("tls-crypt-v2-server.conf", "line 85: 'dh dh2048.pem' makes this a server configuration"),
            Map.entry("tls-home-no-auth.conf", "client"),
            Map.entry("tls-home-with-cipher.conf", "client"),
            Map.entry("tls-home.conf", "client"),
            Map.entry("tls-office.conf", "line 26: 'tls-server' makes this a server configuration"),
            Map.entry("wild-client-no-auth.conf", "line 15: 'comp-lzo': compression is refused"),
            Map.entry("wild-client.conf", "line 15: 'comp-lzo': compression is refused"),
            Map.entry("wild-server.conf", "line 14: 'tls-server' makes this a server configuration"),
            Map.entry("windows-riseup-client.conf", "client")));

    static String read(String name) {
        try (InputStream in = SampleConfigurationsTest.class.getResourceAsStream("/openvpn-configs/" + name)) {
            if (in == null) {
                throw new AssertionError("no test resource openvpn-configs/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everySampleReadsToItsOutcome() {
        StringBuilder report = new StringBuilder();
        StringBuilder mismatches = new StringBuilder();
        for (var entry : OUTCOMES.entrySet()) {
            Result<ConfigParser.Parsed, List<ConfigError>> parsed = ConfigParser.parse(read(entry.getKey()));
            String outcome = switch (parsed) {
                case Result.Ok<ConfigParser.Parsed, List<ConfigError>> ok -> "client";
                case Result.Err<ConfigParser.Parsed, List<ConfigError>>(List<ConfigError> errors) -> errors.getFirst().describe();
            };
            report.append(entry.getKey()).append(" -> ").append(outcome).append('\n');
            if (parsed instanceof Result.Ok<ConfigParser.Parsed, List<ConfigError>>(ConfigParser.Parsed p)) {
                p.warnings().forEach(w -> report.append("    ").append(w.describe()).append('\n'));
            }
            if (!outcome.startsWith(entry.getValue())) {
                mismatches.append(entry.getKey()).append(": expected '").append(entry.getValue()).append("', got '").append(outcome).append("'\n");
            }
        }
        if (!mismatches.isEmpty()) {
            fail(mismatches + "\n" + report);
        }
    }
}
