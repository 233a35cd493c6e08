package jmirage.caldav;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import jmirage.caldav.shell.FailedLogins;
import jmirage.caldav.shell.FirstUser;
import jmirage.core.metrics.MetricFamily;
import jmirage.http.HttpResponse;
import jmirage.net.DirectStack;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

/**
 * Wrong passwords through the running server: after the burst an address gets 429 with
 * Retry-After, even with the right password (verified and cached earlier, so a guesser cannot tell
 * right from wrong meanwhile), until the period has passed; other addresses are not held up.
 */
class RateLimitTest {

    @Test
    void anAddressThatGuessesWaitsAndOthersDoNot() {
        SimCalDav cal = new SimCalDav(8, VirtualSwitch.Conditions.PERFECT);
        cal.boot().orElseThrow();
        String password = cal.printedPasswords().getFirst();
        String right = SimCalDav.basic(FirstUser.USER, password);
        String wrong = SimCalDav.basic(FirstUser.USER, password + "x");
        DirectStack guesser = cal.stack(3);
        DirectStack friend = cal.stack(4);
        DirectStack earlier = cal.stack(5);
        assertEquals(200, cal.send(earlier, SimCalDav.request("OPTIONS", "/", right, "")).status());

        for (int i = 0; i <= FailedLogins.BURST; i++) {
            HttpResponse refused = cal.send(guesser, SimCalDav.request("OPTIONS", "/", wrong, ""));
            assertEquals(401, refused.status(), "wrong password " + (i + 1) + " is checked");
        }
        HttpResponse limited = cal.send(guesser, SimCalDav.request("OPTIONS", "/", right, ""));
        assertEquals(429, limited.status(), "the right password is not even checked now");
        int retryAfter = Integer.parseInt(limited.headers().get("Retry-After").orElseThrow());
        assertEquals(true, retryAfter >= 1 && retryAfter <= 10, "Retry-After " + retryAfter);

        assertEquals(200, cal.send(friend, SimCalDav.request("OPTIONS", "/", right, "")).status(), "another address");
        HttpResponse friendWrong = cal.send(friend, SimCalDav.request("OPTIONS", "/", wrong, ""));
        assertEquals(401, friendWrong.status());
        HttpResponse stillWrong = cal.send(guesser, SimCalDav.request("OPTIONS", "/", wrong, ""));
        assertEquals(429, stillWrong.status());
        cal.sim.await(cal.sim.scheduler().sleep(Duration.ofSeconds(retryAfter)));
        assertEquals(401, cal.send(guesser, SimCalDav.request("OPTIONS", "/", wrong, "")).status(), "one more try after the wait");
        assertEquals(200, cal.send(guesser, SimCalDav.request("OPTIONS", "/", right, "")).status(), "and the right password works");

        MetricFamily failures = cal.metrics.collect().stream()
                .filter(f -> f.name().equals("jmirage_caldav_auth_failures_total")).findFirst().orElseThrow();
        assertEquals(FailedLogins.BURST + 1 + 1 + 1.0, failures.samples().stream()
                .filter(s -> s.labels().getFirst().value().equals("wrong")).findFirst().orElseThrow().value());
        assertEquals(2.0, failures.samples().stream()
                .filter(s -> s.labels().getFirst().value().equals("rate_limited")).findFirst().orElseThrow().value());
    }
}
