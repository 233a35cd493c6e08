package jmirage.caldav.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import jmirage.testkit.Command;
import jmirage.testkit.Sh;
import jmirage.testkit.Started;

/**
 * Radicale (Debian {@code radicale}), the server people pick instead of ours, with a storage
 * folder of its own and htpasswd (bcrypt) authentication: the reference the client scripts were
 * checked against ({@link ServerUnderTest}).
 */
final class RadicalePeer implements ServerUnderTest {

    private static final int PORT = 5232;

    private final InetAddress address;
    private final Started process;

    private RadicalePeer(InetAddress address, Started process) {
        this.address = address;
        this.process = process;
    }

    static RadicalePeer start(InetAddress address, Path folder) throws Exception {
        Sh.requireCommand("radicale", "radicale");
        Path htpasswd = folder.resolve("radicale-htpasswd");
        Files.writeString(htpasswd, Htpasswd.line(USER, PASSWORD));
        Started process = Command.of("radicale", "--config=", "--server-hosts", address.getHostAddress() + ":" + PORT,
                "--storage-filesystem-folder", folder.resolve("radicale-collections").toString(),
                "--auth-type", "htpasswd", "--auth-htpasswd-filename", htpasswd.toString(),
                "--auth-htpasswd-encryption", "bcrypt", "--rights-type", "owner_only", "--logging-level", "warning").start();
        RadicalePeer peer = new RadicalePeer(address, process);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!peer.accepts()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.stop();
                throw new AssertionError("radicale did not listen on " + peer.root() + "\n" + process.err());
            }
            Thread.sleep(50);
        }
        return peer;
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, PORT), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    public URI root() {
        return URI.create("http://" + address.getHostAddress() + ":" + PORT + "/");
    }

    @Override
    public String principalPath() {
        return "/" + USER + "/";
    }

    @Override
    public String homePath() {
        return "/" + USER + "/";
    }

    @Override
    public void close() {
        process.stop();
    }
}
