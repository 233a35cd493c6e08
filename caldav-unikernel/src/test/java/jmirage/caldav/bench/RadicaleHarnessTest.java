package jmirage.caldav.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jmirage.testkit.Command;
import jmirage.testkit.Sh;
import jmirage.testkit.Started;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's harness checked against the server people pick instead: Radicale, given the
 * generated calendar as {@code scripts/bench-caldav} gives it (the calendar made with MKCALENDAR,
 * then the .ics files dropped into its folder while it is stopped), answers the acceptance requests
 * as {@link CalendarAcceptance} expects: every event in PROPFIND and in the first sync, and exactly
 * the events the generator placed in the month. So the expected sets come from the calendar, not
 * from our server. 1,000 events: Radicale takes minutes over 10,000.
 */
@Tag("peer")
class RadicaleHarnessTest {

    private static final int EVENTS = 1_000;
    private static final String USER = "bench";
    private static final String PASSWORD = "bench-password-0123";

    @TempDir
    Path folder;

    private Started radicale;

    @AfterEach
    void stop() {
        if (radicale != null) {
            radicale.stop();
        }
    }

    @Test
    void radicaleAnswersTheAcceptanceRequestsAsTheGeneratorExpects() throws Exception {
        Sh.requireCommand("radicale", "radicale");
        Sh.requireCommand("htpasswd", "apache2-utils");
        Command.of("htpasswd", "-B", "-b", "-c", folder.resolve("htpasswd").toString(), USER, PASSWORD).run().ok();
        int port = freePort();
        Path config = folder.resolve("radicale.conf");
        Files.writeString(config, String.join("\n",
                "[server]", "hosts = 127.0.0.1:" + port,
                "[auth]", "type = htpasswd", "htpasswd_filename = " + folder.resolve("htpasswd"), "htpasswd_encryption = bcrypt",
                "[rights]", "type = owner_only",
                "[storage]", "filesystem_folder = " + folder.resolve("storage"),
                "[web]", "type = none", ""));
        DavClient client = new DavClient(URI.create("http://127.0.0.1:" + port + "/"), USER, PASSWORD);
        String calendar = "/" + USER + "/work/";

        start(config, client);
        // Radicale makes the principal collection on its user's first PROPFIND.
        assertEquals(207, client.xml("PROPFIND", "/" + USER + "/", "0", CalendarAcceptance.body("propfind.xml")).status());
        assertEquals(201, client.send("MKCALENDAR", calendar, null, null, null).status());
        radicale.stop();
        List<CalendarGenerator.Event> events = CalendarGenerator.generate(EVENTS, 15);
        Path collection = folder.resolve("storage/collection-root").resolve(USER).resolve("work");
        for (CalendarGenerator.Event e : events) {
            Files.write(collection.resolve(e.name()), e.bytes());
        }
        start(config, client);

        CalendarAcceptance.Timings timings = CalendarAcceptance.run(client, calendar, events, 1);
        System.out.println("radicale, " + EVENTS + " events, warm: " + timings.describe());
    }

    private void start(Path config, DavClient client) throws InterruptedException {
        radicale = Command.of("radicale", "--config", config.toString()).timeout(Duration.ofMinutes(10)).start();
        for (int i = 0; i < 300; i++) {
            try {
                client.send("OPTIONS", "/", null, null, null);
                return;
            } catch (AssertionError notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("radicale did not answer in 30 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
