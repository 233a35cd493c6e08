package jmirage.caldav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jmirage.caldav.shell.FirstUser;
import jmirage.caldav.store.Layout;
import jmirage.caldav.store.Users;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Key;
import jmirage.net.DirectStack;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

/**
 * Decision 6: the check names each problem boot would refuse (parameter, or file and line) and
 * writes nothing; a reload (SIGHUP) takes new users at once and keeps the previous configuration
 * when the new one does not parse.
 */
class CheckAndReloadTest {

    private final SimCalDav cal = new SimCalDav(12, VirtualSwitch.Conditions.PERFECT);

    private List<ConfigProblem> check(CalDav.Parameters p) {
        return cal.sim.await(new CalDav().check(cal.sim.devices("caldav", s -> cal.kv), p));
    }

    @Test
    void anEmptyStorePassesAndStaysEmpty() {
        assertEquals(List.of(), check(new CalDav().parameters()));
        assertTrue(cal.sim.await(cal.kv.list(Key.ROOT)) instanceof Result.Err<?, ?> || cal.sim.await(cal.kv.list(Key.ROOT)).orElseThrow().isEmpty(),
                "no first user, no certificate written");
    }

    @Test
    void badParametersAreNamed() {
        CalDav.Parameters p = new CalDav().parameters();
        p.httpsPort = 70000;
        p.pullIntervalSeconds = -1;
        p.realm = "a \"quoted\" realm";
        p.tlsNames = List.of("cal.example.org", "not a name");
        assertEquals(List.of("--https-port", "--pull-interval", "--realm", "--tls-name"), check(p).stream().map(ConfigProblem::source).toList());
        CalDav.Parameters off = new CalDav().parameters();
        off.httpsPort = 0;
        assertEquals("--https-port: 0 with --http-port 0: the server would listen nowhere", check(off).getFirst().describe());
    }

    @Test
    void certifyParametersAreAllOrNoneAndNeedHttps() {
        CalDav.Parameters p = new CalDav().parameters();
        p.certify.server = "127.0.0.1";
        p.certify.key = "host._update.example.org:sha256:c2VjcmV0";
        p.certify.hostname = "cal.example.net";
        assertEquals(List.of("--certify-hostname: cal.example.net. is not within example.org., the zone the key "
                + "host._update.example.org. may change"), check(p).stream().map(ConfigProblem::describe).toList());
        p.certify.hostname = "cal.example.org";
        assertEquals(List.of(), check(p));
        p.httpsPort = 0;
        p.httpPort = 8080;
        assertEquals(List.of("--https-port: is 0, so nothing would serve the certificate --certify-* gets"),
                check(p).stream().map(ConfigProblem::describe).toList());
        p.httpsPort = 8443;
        cal.sim.await(cal.kv.set(Key.of("certify/cal.example.org.key"), Bytes.utf8("-----BEGIN PRIVATE KEY-----\n"))).orElseThrow();
        assertEquals(List.of("certify/cal.example.org.key"), check(p).stream().map(ConfigProblem::source).toList(),
                "a kept key boot cannot use");
    }

    @Test
    void brokenSharesAndAHalfTlsPairAreNamedAndRefusedAtBoot() {
        cal.sim.await(cal.kv.set(Layout.SHARES, Bytes.utf8("group family: alice bob\nshare alice/work to bob read\n"))).orElseThrow();
        cal.sim.await(cal.kv.set(Layout.TLS_KEY, Bytes.utf8("-----BEGIN PRIVATE KEY-----\n"))).orElseThrow();
        List<ConfigProblem> problems = check(new CalDav().parameters());
        assertEquals(List.of("shares", "tls/server.pem"), problems.stream().map(ConfigProblem::source).toList(), problems.toString());
        assertEquals(2, problems.getFirst().line());
        Result<?, String> boot = cal.boot();
        assertTrue(boot instanceof Result.Err<?, String>(String why) && why.startsWith("shares:2: "), boot.toString());
        assertEquals(List.of(), cal.printedPasswords(), "a refused boot writes no first user");
    }

    @Test
    void reloadTakesANewUserAndKeepsThePreviousConfigurationWhenTheNewOneIsBroken() {
        cal.boot().orElseThrow();
        DirectStack client = cal.stack(3);
        String bob = SimCalDav.basic("bob", "bob's password");
        assertEquals(401, cal.send(client, SimCalDav.request("OPTIONS", "/", bob, "")).status());

        String htpasswd = cal.sim.await(cal.kv.get(Layout.HTPASSWD)).orElseThrow().toUtf8();
        cal.sim.await(cal.kv.set(Layout.HTPASSWD, Bytes.utf8(htpasswd + "bob:" + Users.hash("bob's password", cal.sim.random()) + "\n")))
                .orElseThrow();
        assertEquals(Result.ok(jmirage.core.Unit.UNIT), cal.sim.await(cal.running.reload()));
        assertEquals(200, cal.send(client, SimCalDav.request("OPTIONS", "/", bob, "")).status());

        cal.sim.await(cal.kv.set(Layout.SHARES, Bytes.utf8("share nonsense\n"))).orElseThrow();
        Result<jmirage.core.Unit, List<ConfigProblem>> refused = cal.sim.await(cal.running.reload());
        assertTrue(refused instanceof Result.Err<jmirage.core.Unit, List<ConfigProblem>>(List<ConfigProblem> p)
                && p.getFirst().source().equals("shares") && p.getFirst().line() == 1, refused.toString());
        assertEquals(200, cal.send(client, SimCalDav.request("OPTIONS", "/", SimCalDav.basic(FirstUser.USER,
                cal.printedPasswords().getFirst()), "")).status(), "still serving");
    }
}
