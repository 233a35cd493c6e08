package jmirage.pinata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Entry;
import jmirage.core.kv.Key;
import jmirage.kv.MemKv;
import jmirage.sim.Simulation;
import org.junit.jupiter.api.Test;

/** {@code ./unikernel check btc-pinata}: what boot refuses, with the parameter or Kv key it comes from; nothing written. */
class CheckTest {

    final Simulation sim = new Simulation(5);
    final MemKv kv = new MemKv(sim.clock());

    List<String> check(Pinata.Parameters p) {
        List<ConfigProblem> problems = sim.scheduler().runUntil(new Pinata().check(sim.devices("btc-pinata", s -> kv), p)).value();
        return problems.stream().map(ConfigProblem::describe).toList();
    }

    @Test
    void aSecretInTheKvAndDefaultPortsPass() {
        sim.scheduler().runUntil(kv.set(Pinata.SECRET_KEY, Bytes.utf8("the key\n")));
        assertEquals(List.of(), check(new Pinata.Parameters()));
        assertEquals(List.of(Pinata.SECRET_KEY),
                sim.scheduler().runUntil(kv.list(Key.ROOT)).value().orElseThrow().stream().map(Entry::key).toList());
    }

    @Test
    void noSecretAndABadPortAreTwoProblems() {
        Pinata.Parameters p = new Pinata.Parameters();
        p.httpsPort = 10001;
        assertEquals(List.of(
                "--https-port: port 10001 is the pinata's own (connects back to your port 40001 as a TLS client): pick another for the page",
                "secret: " + new SecretError.Missing(Pinata.SECRET_KEY).describe()), check(p));
    }

    @Test
    void testModeWithAStoredSecretIsRefusedAtItsKey() {
        sim.scheduler().runUntil(kv.set(Pinata.SECRET_KEY, Bytes.utf8("mine")));
        Pinata.Parameters p = new Pinata.Parameters();
        p.test = true;
        assertEquals(List.of("secret: " + new SecretError.TestModeWithStoredSecret(Pinata.SECRET_KEY).describe()), check(p));
    }

    @Test
    void certifyParametersAreCheckedAllOrNoneAndNeedTheHttpsPage() {
        sim.scheduler().runUntil(kv.set(Pinata.SECRET_KEY, Bytes.utf8("the key")));
        Pinata.Parameters p = new Pinata.Parameters();
        p.certify.hostname = "www.example.org";
        p.httpsPort = 0;
        assertEquals(List.of(
                "--certify-server: is needed with the other certify parameters (--certify-server, --certify-key, --certify-hostname)",
                "--certify-key: is needed with the other certify parameters (--certify-server, --certify-key, --certify-hostname)",
                "--https-port: is 0, so nothing would serve the certificate --certify-* gets"), check(p));
        p.certify.server = "127.0.0.1";
        p.certify.key = "host._update.example.org:sha256:c2VjcmV0";
        p.httpsPort = 8443;
        assertEquals(List.of(), check(p));
        sim.scheduler().runUntil(kv.set(Key.of("certify/www.example.org.key"), Bytes.utf8("not a key")));
        List<String> problems = check(p);
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.getFirst().startsWith("certify/www.example.org.key: 'certify/www.example.org.key' is not a usable "
                + "private key"), problems::toString);
    }
}
