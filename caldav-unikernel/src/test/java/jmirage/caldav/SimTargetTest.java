package jmirage.caldav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jmirage.caldav.shell.FirstUser;
import jmirage.caldav.store.Layout;
import jmirage.core.Bytes;
import jmirage.http.HttpResponse;
import jmirage.net.DirectStack;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

/**
 * The unikernel on the simulation target, through Simulation.boot on a lossy virtual switch: a
 * client discovers, lists, stores and reads back an event with the password the first boot printed.
 */
class SimTargetTest {

    static final String EVENT = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//jmirage//test//EN\r\nBEGIN:VEVENT\r\n"
            + "UID:sim-1@jmirage\r\nDTSTAMP:20270101T000000Z\r\nDTSTART:20270105T100000Z\r\nDTEND:20270105T110000Z\r\n"
            + "SUMMARY:Planning\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    @Test
    void optionsPropfindPutGetWithTheFirstUsersPassword() {
        SimCalDav cal = new SimCalDav(11, VirtualSwitch.Conditions.PERFECT.withLoss(0.02).withReorder(0.05));
        cal.boot().orElseThrow();
        DirectStack client = cal.stack(3);
        String auth = SimCalDav.basic(FirstUser.USER, cal.printedPasswords().getFirst());

        HttpResponse unauthenticated = cal.send(client, SimCalDav.request("PROPFIND", "/", null, "", "Depth", "0"));
        assertEquals(401, unauthenticated.status());
        assertEquals("Basic realm=\"caldav\", charset=\"UTF-8\"", unauthenticated.headers().get("WWW-Authenticate").orElseThrow());

        HttpResponse wellKnown = cal.send(client, SimCalDav.request("GET", "/.well-known/caldav", null, ""));
        assertEquals(301, wellKnown.status(), "RFC 6764: the redirect needs no password");
        assertEquals("/", wellKnown.headers().get("Location").orElseThrow());

        HttpResponse options = cal.send(client, SimCalDav.request("OPTIONS", "/", auth, ""));
        assertEquals(200, options.status());
        assertTrue(options.headers().get("DAV").orElseThrow().contains("calendar-access"), options.headers().toString());

        HttpResponse root = cal.send(client, SimCalDav.request("PROPFIND", "/", auth,
                "<?xml version=\"1.0\"?><d:propfind xmlns:d=\"DAV:\"><d:prop><d:current-user-principal/></d:prop></d:propfind>",
                "Depth", "0", "Content-Type", "application/xml"));
        assertEquals(207, root.status());
        assertTrue(root.bytes().toUtf8().contains("/principals/admin/"), root.bytes().toUtf8());

        HttpResponse home = cal.send(client, SimCalDav.request("PROPFIND", "/calendars/admin/", auth,
                "<?xml version=\"1.0\"?><d:propfind xmlns:d=\"DAV:\"><d:prop><d:displayname/></d:prop></d:propfind>", "Depth", "1"));
        assertEquals(207, home.status());
        assertTrue(home.bytes().toUtf8().contains("/calendars/admin/calendar/"), "the first calendar is listed: " + home.bytes().toUtf8());

        String href = "/calendars/admin/calendar/sim-1.ics";
        HttpResponse put = cal.send(client, SimCalDav.request("PUT", href, auth, EVENT, "Content-Type", "text/calendar",
                "If-None-Match", "*"));
        assertEquals(201, put.status(), () -> put.bytes().toUtf8() + cal.logText());
        assertEquals(Bytes.utf8(EVENT), cal.sim.await(cal.kv.get(Layout.resource("admin", "calendar", "sim-1.ics"))).orElseThrow(),
                "stored when 201 was answered");

        HttpResponse get = cal.send(client, SimCalDav.request("GET", href, auth, ""));
        assertEquals(200, get.status());
        assertEquals(EVENT, get.bytes().toUtf8());
        assertEquals(put.headers().get("ETag"), get.headers().get("ETag"));
    }
}
