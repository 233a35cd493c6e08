package jmirage.caldav.shell;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import jmirage.caldav.dav.DavOutcome;
import jmirage.caldav.store.Shares;
import jmirage.caldav.store.Store;
import jmirage.caldav.store.Users;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.metrics.Metrics;
import jmirage.http.Headers;
import jmirage.http.HttpRequest;
import jmirage.http.HttpResponse;
import jmirage.kv.MemKv;
import jmirage.sim.Simulation;

/**
 * Arbitrary request targets and Authorization headers (or the right credentials) into the shell's
 * handler: it always answers, never with a 5xx, and hands the core only authenticated requests
 * with absolute, normalised paths (no empty, "." or ".." segment).
 */
class RequestShellFuzzTest {

    private static final String PASSWORD = "fuzzing password";
    /** bcrypt at cost 4 (the least), so that each input does not spend a tenth of a second verifying. */
    private static final Users USERS = Users.parse(Bytes.utf8("admin:"
            + org.bouncycastle.crypto.generators.OpenBSDBCrypt.generate("2y", PASSWORD.toCharArray(), new byte[16], 4) + "\n")).orElseThrow();

    @FuzzTest(maxDuration = "20s")
    void onlyNormalisedAuthenticatedRequestsReachTheCore(FuzzedDataProvider data) {
        boolean rightCredentials = data.consumeBoolean();
        String authorization = rightCredentials
                ? "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8))
                : data.consumeString(200);
        String target = data.consumeRemainingAsAsciiString();
        if (target.isEmpty() || target.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            return;   // the HTTP codec refuses such request lines before any handler
        }
        Simulation sim = new Simulation(1, Instant.parse("2027-01-01T00:00:00Z"));
        List<String> reached = new ArrayList<>();
        Store store = new Store(new TreeMap<>(), USERS, Shares.none());
        CalDavShell shell = new CalDavShell(new CalDavShell.Devices(null, new MemKv(sim.clock()), Optional.empty(),
                sim.log("caldav", LogLevel.INFO), sim.clock(), sim.scheduler(), sim.random(), new Metrics()),
                new CalDavShell.Settings(8080, 0, Duration.ZERO, "caldav", 1 << 20), store,
                (s, request) -> {
                    reached.add(request.user() + " " + request.path());
                    return DavOutcome.unchanged(HttpResponse.empty(204), s);
                });
        Promise<HttpResponse> answer = shell.handle(HttpRequest.of("PROPFIND", target, Headers.of("Authorization", authorization), Bytes.EMPTY));
        HttpResponse response = sim.await(answer);
        assertTrue(response.status() < 500, "status " + response.status());
        for (String r : reached) {
            String path = r.substring(r.indexOf(' ') + 1);
            assertTrue(r.startsWith("admin /"), r);
            assertFalse(path.contains("//") || path.contains("/./") || path.contains("/../") || path.endsWith("/.") || path.endsWith("/.."), path);
        }
    }
}
