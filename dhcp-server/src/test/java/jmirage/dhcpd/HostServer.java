package jmirage.dhcpd;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import jmirage.core.Bytes;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.LogLevel;
import jmirage.core.Unikernel;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.host.ConsoleLog;
import jmirage.host.FileBlock;
import jmirage.host.HostClock;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import jmirage.kv.block.BlockKv;
import jmirage.kv.dir.DirKv;

/**
 * The unikernel on the host target (the host's UDP sockets through Netty, as the launcher's
 * HostTarget builds it), as the main of a child JVM that a test starts inside a network namespace:
 * LISTEN-ADDRESS KV CONF-FILE, KV a folder for the dir backend or {@code block:IMAGE} for a block
 * image already formatted ({@link #openKv}); prints READY once serving.
 */
final class HostServer {

    private HostServer() {}

    public static void main(String[] args) throws Exception {
        HostScheduler scheduler = HostScheduler.start("dhcpd-host");
        Clock clock = new HostClock();
        Log log = ConsoleLog.create("dhcp-server", LogLevel.INFO, clock);
        Kv kv = openKv(args[1], scheduler, clock);
        Bytes conf = Bytes.utf8(Files.readString(Path.of(args[2])));
        TapServer.await(scheduler, () -> kv.set(Key.of("dhcpd.conf"), conf)).orElseThrow();
        InetAddress listen = InetAddress.getByName(args[0]);
        HostStack stack = TapServer.await(scheduler, () -> jmirage.core.Promise.resolved(new HostStack(scheduler, listen)));
        DhcpServer.Parameters p = new DhcpServer.Parameters();
        p.httpPort = 0;
        Unikernel.Running running = TapServer.await(scheduler,
                () -> new DhcpServer().start(new DhcpServer.Devices(stack, java.util.Optional.empty(), kv, clock, new jmirage.host.HostRandom(), scheduler, log, new jmirage.core.metrics.Metrics()), p)).orElseThrow(IllegalStateException::new);
        System.out.println("READY " + running);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** A folder (created if missing) as a dir Kv, or {@code block:IMAGE} as a block Kv on a file of 512-byte sectors. */
    static Kv openKv(String spec, HostScheduler scheduler, Clock clock) throws Exception {
        if (spec.startsWith("block:")) {
            FileBlock block = FileBlock.open(Path.of(spec.substring("block:".length())), 512, false, scheduler)
                    .orElseThrow(e -> new IllegalStateException(e.describe()));
            return TapServer.await(scheduler, () -> BlockKv.open(block, clock)).orElseThrow(e -> new IllegalStateException(e.describe()));
        }
        Path kvDir = Path.of(spec);
        Files.createDirectories(kvDir);
        return TapServer.await(scheduler, () -> DirKv.open(kvDir, scheduler)).orElseThrow(e -> new IllegalStateException(e.describe()));
    }
}
