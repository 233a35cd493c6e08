package jmirage.caldav.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;

/**
 * vdirsyncer (Debian {@code vdirsyncer}) keeping a local folder of .ics files and a calendar on the
 * server in step, run on either {@link ClientSide}: discovery, a sync each way, then the same event
 * edited on both sides with {@code conflict_resolution = "a wins"} (a is the folder), and a deletion
 * carried over.
 */
final class Vdirsyncer {

    private final ClientSide side;
    private final DavRequests dav;
    private final Path folder;

    private Vdirsyncer(ClientSide side, DavRequests dav, Path folder) {
        this.side = side;
        this.dav = dav;
        this.folder = folder;
    }

    static void require() {
        Sh.requireCommand("vdirsyncer", "vdirsyncer");
    }

    /** The whole scenario from {@code side}, its files (the folder, vdirsyncer's status) under {@code folder}; fails the test on a step that went wrong. */
    static void itemsTravelBothWaysAndTheFolderWinsAConflict(ClientSide side, Path folder) throws Exception {
        new Vdirsyncer(side, side.requests(folder), folder).run();
    }

    private void run() throws Exception {
        ServerUnderTest server = side.server();
        String calendar = server.calendarPath("work");
        dav.mkcalendar(calendar, "").expect(201);
        dav.put(calendar + "server1.ics", Ics.event("server1@interop", "Made on the server", "20260310T100000Z", "20260310T110000Z"))
                .expect(201);
        Path local = folder.resolve("local");
        Files.createDirectories(local.resolve("work"));
        Path config = writeConfig(local);

        vdirsyncer(config, "discover", "cal");
        vdirsyncer(config, "sync");
        assertEquals("Made on the server", summaryOf(localItems(local), "server1@interop"), "the server's event was downloaded");

        Files.writeString(local.resolve("work/local1.ics"), Ics.event("local1@interop", "Made in the folder", "20260311T100000Z",
                "20260311T110000Z"));
        dav.put(calendar + "server2.ics", Ics.event("server2@interop", "Made on the server later", "20260312T100000Z",
                "20260312T110000Z")).expect(201);
        vdirsyncer(config, "sync");
        assertEquals("Made in the folder", summaryOf(serverItems(calendar), "local1@interop"), "the folder's event was uploaded");
        assertEquals("Made on the server later", summaryOf(localItems(local), "server2@interop"), "the server's new event came down");

        // the same event changed on both sides: the folder (a) wins
        Path server1 = localItems(local).get("server1@interop").file();
        Files.writeString(server1, Files.readString(server1).replace("SUMMARY:Made on the server", "SUMMARY:Edited in the folder"));
        String etag = dav.get(calendar + "server1.ics").expect(200).header("ETag").orElseThrow();
        dav.put(calendar + "server1.ics", Ics.event("server1@interop", "Edited on the server", "20260310T100000Z", "20260310T110000Z"),
                "If-Match", etag).expect(204, 200, 201); // 201 is Radicale's (RFC 9110 9.3.4 wants 200 or 204): WebDavTools' curl session holds ours to it
        vdirsyncer(config, "sync");
        assertEquals("Edited in the folder", summaryOf(serverItems(calendar), "server1@interop"), "the conflict went to the folder's side");
        assertEquals("Edited in the folder", summaryOf(localItems(local), "server1@interop"));

        // a deletion in the folder is carried to the server
        Files.delete(localItems(local).get("local1@interop").file());
        vdirsyncer(config, "sync");
        Map<String, Item> remaining = serverItems(calendar);
        assertEquals(Set.of("server1@interop", "server2@interop"), remaining.keySet(), () -> remaining.toString());
        assertEquals(remaining.keySet(), localItems(local).keySet());
    }

    private Path writeConfig(Path local) throws Exception {
        Path config = folder.resolve("config");
        Files.writeString(config, """
                [general]
                status_path = "%s/"

                [pair cal]
                a = "local"
                b = "remote"
                collections = ["work"]
                conflict_resolution = "a wins"

                [storage local]
                type = "filesystem"
                path = "%s/"
                fileext = ".ics"

                [storage remote]
                type = "caldav"
                url = "%s"
                username = "%s"
                password = "%s"
                """.formatted(folder.resolve("status"), local, side.server().root(), ServerUnderTest.USER, ServerUnderTest.PASSWORD));
        return config;
    }

    private void vdirsyncer(Path config, String... arguments) {
        List<String> argv = new ArrayList<>(List.of("vdirsyncer", "-c", config.toString()));
        argv.addAll(List.of(arguments));
        Ran ran = Command.of(side.command(argv)).timeout(Duration.ofSeconds(60)).run();
        assertEquals(0, ran.exit(), () -> ran.describe() + side.serverLog());
        assertTrue(!ran.output().contains("error:") && !ran.output().contains("critical:"), () -> ran.describe() + side.serverLog());
    }

    /** An item of either side: where it is, and its text. */
    private record Item(Path file, String ics) {}

    private static Map<String, Item> localItems(Path local) throws Exception {
        Map<String, Item> items = new TreeMap<>();
        try (Stream<Path> files = Files.list(local.resolve("work"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".ics")).toList()) {
                String ics = Files.readString(f);
                items.put(Ics.uid(ics).orElseThrow(() -> new AssertionError("no UID in " + f)), new Item(f, ics));
            }
        }
        return items;
    }

    /** The calendar's members (PROPFIND depth 1), each fetched with GET, by UID. */
    private Map<String, Item> serverItems(String calendar) throws Exception {
        Multistatus members = dav.propfind(calendar, "1", """
                <?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>""")
                .multistatus();
        Map<String, Item> items = new TreeMap<>();
        for (Multistatus.Response r : members.responses()) {
            if (r.path().endsWith(".ics")) {
                String ics = dav.get(r.href()).expect(200).body();
                items.put(Ics.uid(ics).orElseThrow(() -> new AssertionError("no UID in " + r.href())), new Item(Path.of(r.path()), ics));
            }
        }
        return items;
    }

    private static String summaryOf(Map<String, Item> items, String uid) {
        Item item = items.get(uid);
        if (item == null) {
            throw new AssertionError("no " + uid + " among " + items.keySet());
        }
        return Ics.summary(item.ics()).orElse("");
    }
}
