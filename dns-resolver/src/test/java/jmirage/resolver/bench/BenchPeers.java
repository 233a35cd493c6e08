package jmirage.resolver.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import jmirage.resolver.interop.Hierarchy;
import jmirage.resolver.interop.PeerResolvers;
import jmirage.resolver.interop.PeerResolvers.UnderTest;

/**
 * What scripts/bench-resolver starts before it measures: the loopback {@link Hierarchy} with a zone
 * of NAMES names, and the peers asked for (unbound on 127.153.1.1, kresd on 127.153.1.2), each with
 * a CACHE_MB cache and one thread. Prints {@code pid NAME PID} for each peer, then {@code ready};
 * serves until terminated (SIGTERM), when it stops them all.
 *
 * <p>usage: BenchPeers FOLDER NAMES CACHE_MB [unbound] [kresd]
 */
public final class BenchPeers {

    private BenchPeers() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: BenchPeers FOLDER NAMES CACHE_MB [unbound] [kresd]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int names = Integer.parseInt(args[1]);
        int cacheMegabytes = Integer.parseInt(args[2]);
        List<AutoCloseable> running = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AutoCloseable c : running.reversed()) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.err.println("stopping: " + e);
                }
            }
        }));
        Hierarchy hierarchy = Hierarchy.start(dir.resolve("hierarchy"), names);
        running.add(hierarchy);
        for (int i = 3; i < args.length; i++) {
            UnderTest peer = switch (args[i]) {
                case "unbound" -> PeerResolvers.unbound(dir.resolve("unbound"), hierarchy, PeerResolvers.resolverAddress(1), cacheMegabytes);
                case "kresd" -> PeerResolvers.kresd(dir.resolve("kresd"), hierarchy, PeerResolvers.resolverAddress(2), cacheMegabytes);
                default -> throw new IllegalArgumentException("no peer called " + args[i]);
            };
            running.add(peer);
            System.out.println("pid " + peer.name() + " " + peer.pid().orElseThrow());
        }
        System.out.println("hints " + hierarchy.hints());
        System.out.println("anchor " + hierarchy.trustAnchor());
        System.out.println("ready");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
