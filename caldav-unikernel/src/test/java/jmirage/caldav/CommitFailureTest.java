package jmirage.caldav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jmirage.caldav.shell.FirstUser;
import jmirage.caldav.store.Layout;
import jmirage.core.LogLevel;
import jmirage.core.Result;
import jmirage.http.HttpResponse;
import jmirage.net.DirectStack;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

/**
 * A change is answered only once stored: when the commit fails the client gets 500, and the server
 * serves what storage holds (the event it could not store is not there), then goes on when the
 * store works again.
 */
class CommitFailureTest {

    @Test
    void aFailedCommitIs500AndTheChangeIsNotServed() {
        SimCalDav cal = new SimCalDav(9, VirtualSwitch.Conditions.PERFECT);
        cal.boot().orElseThrow();
        DirectStack client = cal.stack(3);
        String auth = SimCalDav.basic(FirstUser.USER, cal.printedPasswords().getFirst());
        String href = "/calendars/admin/calendar/sim-1.ics";

        cal.failCommits = true;
        HttpResponse put = cal.send(client, SimCalDav.request("PUT", href, auth, SimTargetTest.EVENT, "Content-Type", "text/calendar"));
        assertEquals(500, put.status());
        assertTrue(cal.sim.records().stream().anyMatch(r -> r.level() == LogLevel.ERROR
                && r.message().contains("cannot store PUT " + href + " by admin: storage failure: disk full (test)")), cal.logText());
        cal.sim.await(cal.sim.scheduler().sleep(java.time.Duration.ofSeconds(1)));
        assertEquals(404, cal.send(client, SimCalDav.request("GET", href, auth, "")).status(), "memory is what storage holds again");
        assertTrue(cal.sim.await(cal.kv.get(Layout.resource("admin", "calendar", "sim-1.ics"))) instanceof Result.Err<?, ?>);

        cal.failCommits = false;
        assertEquals(201, cal.send(client, SimCalDav.request("PUT", href, auth, SimTargetTest.EVENT, "Content-Type", "text/calendar"))
                .status());
        assertEquals(200, cal.send(client, SimCalDav.request("GET", href, auth, "")).status());
    }
}
