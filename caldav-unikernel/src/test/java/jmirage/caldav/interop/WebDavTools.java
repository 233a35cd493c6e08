package jmirage.caldav.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;

/**
 * Plain WebDAV tools on a calendar, run on either {@link ClientSide}: cadaver (Debian
 * {@code cadaver}) scripted through its standard input, and curl for what an operator checks by
 * hand: OPTIONS, PROPFIND with a body at depth 0 and 1, conditional PUT and DELETE (RFC 9110
 * 13.1.1, 13.1.2; RFC 4918 9.1 on depth infinity). Each session uses calendars of its own, so both
 * can run against one server.
 */
final class WebDavTools {

    private WebDavTools() {}

    /** One command of a cadaver session and what cadaver printed for it. */
    record Step(String command, String output) {

        boolean succeeded() {
            return output.contains("succeeded.") && !output.contains("failed:");
        }
    }

    /** cadaver in calendar {@code dav}: ls, put, propnames, propget, get, move, copy to calendar {@code dav2}, rm; its files in {@code folder}. */
    static void cadaverListsPutsReadsPropertiesGetsMovesCopiesAndDeletes(ClientSide side, Path folder) throws Exception {
        Sh.requireCommand("cadaver", "cadaver");
        ServerUnderTest server = side.server();
        DavRequests dav = side.requests(folder);
        dav.mkcalendar(server.calendarPath("dav"), "").expect(201);
        dav.mkcalendar(server.calendarPath("dav2"), "").expect(201);
        Path netrc = folder.resolve(".netrc");
        Files.writeString(netrc, "machine " + server.root().getHost() + "\nlogin " + ServerUnderTest.USER + "\npassword "
                + ServerUnderTest.PASSWORD + "\n");
        Files.setPosixFilePermissions(netrc, PosixFilePermissions.fromString("rw-------"));
        String event = Ics.event("cadaver1@interop", "Put by cadaver", "20260401T090000Z", "20260401T100000Z");
        Files.writeString(folder.resolve("event.ics"), event);

        List<String> commands = List.of("ls", "put event.ics cadaver1.ics", "ls", "propnames cadaver1.ics", "set namespace DAV:",
                "propget cadaver1.ics getetag", "get cadaver1.ics back.ics", "move cadaver1.ics renamed.ics",
                "copy renamed.ics ../dav2/copied.ics", "rm renamed.ics", "ls", "quit");
        Ran ran = Command.of(side.command("cadaver", server.url(server.calendarPath("dav")).toString())).env("HOME", folder.toString())
                .in(folder).stdin(String.join("\n", commands) + "\n").timeout(Duration.ofSeconds(60)).run();
        List<Step> steps = transcript(ran.out());
        assertEquals(commands.size(), steps.size(), ran::describe);
        String all = ran.describe() + side.serverLog();

        assertTrue(steps.get(0).output().contains("collection is empty."), all);
        assertTrue(steps.get(1).succeeded(), all);
        assertTrue(steps.get(2).output().contains("cadaver1.ics"), all);
        assertTrue(steps.get(3).output().contains("DAV: getetag") && steps.get(3).output().contains("DAV: getcontenttype"), all);
        assertTrue(steps.get(5).output().matches("(?s).*Value of getetag is: \"[^\"]+\".*"), all);
        assertTrue(steps.get(6).succeeded(), all);
        assertEquals(Ics.uid(event), Ics.uid(Files.readString(folder.resolve("back.ics"))), all);
        assertTrue(steps.get(7).succeeded(), "MOVE within the calendar\n" + all);
        assertTrue(steps.get(8).succeeded(), "COPY to the user's other calendar\n" + all);
        assertTrue(steps.get(9).succeeded(), all);
        assertFalse(steps.get(10).output().contains("renamed.ics"), all);
        assertEquals("Put by cadaver", Ics.summary(dav.get(server.calendarPath("dav2") + "copied.ics").expect(200).body()).orElse(""));
    }

    /** cadaver's output cut at each prompt it echoes ({@code dav:/path/> command}). */
    private static List<Step> transcript(String output) {
        List<Step> steps = new ArrayList<>();
        String command = null;
        StringBuilder said = new StringBuilder();
        for (String line : output.split("\n", -1)) {
            int prompt = line.startsWith("dav:") ? line.indexOf("> ") : -1;
            if (prompt > 0) {
                if (command != null) {
                    steps.add(new Step(command, said.toString()));
                }
                command = line.substring(prompt + 2).strip();
                said.setLength(0);
            } else {
                said.append(line).append('\n');
            }
        }
        if (command != null) {
            steps.add(new Step(command, said.toString()));
        }
        return steps;
    }

    /** curl on calendar {@code curl}: the DAV classes and methods, properties at depth 0 and 1, the preconditions; its files in {@code folder}. */
    static void curlSeesTheDavClassesPropertiesAndPreconditions(ClientSide side, Path folder) throws Exception {
        Curl curl = new Curl(side, folder);
        String calendar = side.server().calendarPath("curl");
        curl.send("MKCALENDAR", calendar, "").expect(201);

        Reply options = curl.send("OPTIONS", calendar, "").expect(200, 204);
        List<String> classes = options.headerValues("DAV");
        assertTrue(classes.containsAll(List.of("1", "3", "calendar-access")), options::toString);
        assertTrue(options.headerValues("Allow").containsAll(List.of("OPTIONS", "GET", "PUT", "DELETE", "PROPFIND", "PROPPATCH",
                "REPORT", "MKCALENDAR")), options::toString);

        String event = Ics.event("curl1@interop", "Put by curl", "20260402T090000Z", "20260402T100000Z");
        Reply created = curl.send("PUT", calendar + "curl1.ics", event, "Content-Type", "text/calendar", "If-None-Match", "*").expect(201);
        String etag = created.header("ETag").orElseThrow(() -> new AssertionError("a PUT that stores the body as sent answers its ETag\n" + created));
        assertTrue(etag.startsWith("\""), () -> "a strong ETag: " + created);
        curl.send("PUT", calendar + "curl1.ics", event, "Content-Type", "text/calendar", "If-None-Match", "*").expect(412);

        Reply one = curl.send("PROPFIND", calendar, """
                <?xml version="1.0" encoding="utf-8"?>
                <propfind xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
                  <prop><resourcetype/><displayname/><C:supported-calendar-component-set/><getetag/></prop>
                </propfind>""", "Depth", "0", "Content-Type", "application/xml");
        Multistatus.Response collection = one.multistatus().response(calendar);
        assertTrue(collection.require(Multistatus.dav("resourcetype")).has(Multistatus.dav("collection")), one::toString);
        assertTrue(collection.require(Multistatus.dav("resourcetype")).has(Multistatus.caldav("calendar")), one::toString);
        assertEquals(1, one.multistatus().responses().size(), one::toString);

        Reply members = curl.send("PROPFIND", calendar, """
                <?xml version="1.0" encoding="utf-8"?>
                <propfind xmlns="DAV:"><prop><getetag/><getcontenttype/></prop></propfind>""", "Depth", "1",
                "Content-Type", "application/xml");
        Multistatus.Response member = members.multistatus().response(calendar + "curl1.ics");
        assertEquals(etag, member.require(Multistatus.dav("getetag")).text(), members::toString);
        assertTrue(member.require(Multistatus.dav("getcontenttype")).text().startsWith("text/calendar"), members::toString);

        Reply updated = curl.send("PUT", calendar + "curl1.ics", event.replace("Put by curl", "Changed by curl"),
                "Content-Type", "text/calendar", "If-Match", etag).expect(204, 200);
        String newEtag = updated.header("ETag").orElseThrow(() -> new AssertionError(updated.toString()));
        assertFalse(newEtag.equals(etag), updated::toString);
        curl.send("DELETE", calendar + "curl1.ics", "", "If-Match", etag).expect(412);
        curl.send("DELETE", calendar + "curl1.ics", "", "If-Match", newEtag).expect(204, 200);
        curl.send("GET", calendar + "curl1.ics", "").expect(404);

        // RFC 4918 9.1: a server may refuse Depth: infinity, with this precondition (Radicale answers it)
        Reply infinite = curl.send("PROPFIND", calendar, "", "Depth", "infinity");
        assertEquals(403, infinite.status(), infinite::toString);
        assertTrue(infinite.body().contains("propfind-finite-depth"), infinite::toString);
    }
}
