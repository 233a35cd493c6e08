package jmirage.archfixture;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Everything a unikernel must not do: the explicit-authority rule must report each line. */
public final class AmbientAuthority {

    private AmbientAuthority() {}

    static Object[] misbehave() throws Exception {
        return new Object[] {
            System.currentTimeMillis(),
            Instant.now(),
            Files.readAllBytes(Path.of("/etc/passwd")),
            System.getenv("HOME"),
            new Thread(() -> {}),
            new ProcessBuilder("true"),
            Class.forName("java.lang.String"),
            InetAddress.getByName("example.org"),
            new java.security.SecureRandom(),
        };
    }
}
