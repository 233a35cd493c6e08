package jmirage.caldav.interop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jmirage.testkit.TapLink;

/**
 * Where a client program runs to reach the server: on the host, beside a server on loopback (the
 * host target), or in the network namespace of a tap link, whose only way to the server is the TAP
 * and the server's own TCP/IP stack (the tap target). A scenario written against this runs on both.
 */
sealed interface ClientSide {

    ServerUnderTest server();

    /** The host target: the client on the host's network, the server on a loopback address. */
    record OnHost(ServerUnderTest server) implements ClientSide {}

    /** The tap target: the client in {@code link}'s namespace, the server on the direct stack at {@link TapLink#ourIp}. */
    record InNamespace(OurServer server, TapLink link) implements ClientSide {}

    /** {@code argv} as it runs on this side ({@code ip netns exec NS argv...} in a namespace). */
    default List<String> command(List<String> argv) {
        return switch (this) {
            case OnHost host -> List.copyOf(argv);
            case InNamespace namespace -> namespace.link().exec(argv);
        };
    }

    default List<String> command(String... argv) {
        return command(List.of(argv));
    }

    /**
     * The test's own requests from this side: Java's HTTP client on the host; curl in the namespace,
     * where the host's client cannot reach, its files in a {@code requests} folder under {@code folder}.
     */
    default DavRequests requests(Path folder) throws Exception {
        return switch (this) {
            case OnHost host -> Dav.of(host.server());
            case InNamespace namespace -> new Curl(this, Files.createDirectories(folder.resolve("requests")));
        };
    }

    /** The server's log, for a failure message (Radicale's is not captured). */
    default String serverLog() {
        return server() instanceof OurServer ours ? "\nserver log:\n" + ours.log() : "";
    }
}
