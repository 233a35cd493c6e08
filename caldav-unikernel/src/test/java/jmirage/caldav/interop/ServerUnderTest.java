package jmirage.caldav.interop;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The CalDAV server a client test talks to: ours in-process ({@link OurServer}), or Radicale
 * ({@link RadicalePeer}) when the build is given {@code -Dcaldav.interop.server=radicale}, which is
 * how the client scripts were checked against a server that is known to work: a step that fails
 * against both is the script's fault, one that fails only against ours is the server's. One user
 * ({@link #USER}) with a bcrypt password in the server's htpasswd.
 */
sealed interface ServerUnderTest extends AutoCloseable permits OurServer, RadicalePeer {

    String USER = "alice";
    String PASSWORD = "correct-horse-battery-9";
    String SELECT = "caldav.interop.server";

    /** {@code http://ADDRESS:PORT/}: where a client starts discovery. */
    URI root();

    /** The path of the user's principal ({@code /principals/alice/}, Radicale's {@code /alice/}). */
    String principalPath();

    /** The path of the user's calendar home. */
    String homePath();

    /** The path of the user's calendar {@code name}, with its trailing slash. */
    default String calendarPath(String name) {
        return homePath() + name + "/";
    }

    default URI url(String path) {
        return root().resolve(path);
    }

    @Override
    void close() throws Exception;

    /** The server the build selects, on a loopback address of its own, its files (Radicale's) under {@code folder}. */
    static ServerUnderTest start(Path folder) throws Exception {
        return switch (System.getProperty(SELECT, "caldav")) {
            case "radicale" -> RadicalePeer.start(uniqueLoopback(), folder);
            case "caldav" -> OurServer.onLoopback(uniqueLoopback());
            default -> throw new AssertionError("-D" + SELECT + " is caldav (ours, the default) or radicale");
        };
    }

    /** 127.78.x.y, fresh for each server, so that fixed ports never clash between test classes. */
    static InetAddress uniqueLoopback() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return InetAddress.ofLiteral("127.78." + (1 + r.nextInt(250)) + "." + (1 + r.nextInt(250)));
    }
}
