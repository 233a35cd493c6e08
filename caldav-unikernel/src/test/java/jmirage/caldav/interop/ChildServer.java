package jmirage.caldav.interop;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import jmirage.core.LogLevel;
import jmirage.core.Result;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.host.ConsoleLog;
import jmirage.host.HostStack;
import jmirage.kv.dir.DirKv;
import jmirage.kv.git.GitKv;
import jmirage.kv.git.StaleLocks;
import jmirage.testkit.OnLoop;

/**
 * Our server on the host target as the main of a child JVM that a test can kill:
 * {@code dir|git STORE-PATH LISTEN-ADDRESS}; prints READY once it serves on
 * {@link OurServer#HTTP_PORT}, then runs until killed.
 */
final class ChildServer {

    private ChildServer() {}

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        Path path = Path.of(args[1]);
        InetAddress address = InetAddress.getByName(args[2]);
        OurServer server = OurServer.boot(address, loop -> new HostStack(loop, address), (loop, clock) -> {
            Result<? extends Kv, KvError> opened = switch (kind) {
                case "dir" -> {
                    Files.createDirectories(path);
                    yield OnLoop.await(loop, () -> DirKv.open(path, loop));
                }
                case "git" -> {
                    // as the launcher's StoreOpening does under its store lock: a killed writer's ref locks are stale
                    if (Files.exists(path) && StaleLocks.remove(path) instanceof Result.Err<?, KvError>(KvError e)) {
                        throw new IllegalStateException(e.describe());
                    }
                    yield OnLoop.await(loop, () -> GitKv.open(GitKv.Options.local(path), loop, clock,
                            ConsoleLog.create("kv", LogLevel.INFO, clock)));
                }
                default -> throw new IllegalArgumentException("dir or git, not " + kind);
            };
            return switch (opened) {
                case Result.Ok<? extends Kv, KvError>(Kv kv) -> kv;
                case Result.Err<? extends Kv, KvError>(KvError e) -> throw new IllegalStateException(e.describe());
            };
        });
        System.out.println("READY " + server.root());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
