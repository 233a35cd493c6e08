package jmirage.resolver.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import jmirage.dns.Name;
import jmirage.dns.Type;
import jmirage.testkit.Command;
import jmirage.testkit.Sh;
import jmirage.testkit.Started;

/**
 * Unbound and Knot Resolver as the interop tests and the benchmark start them: in the foreground,
 * files under a folder of the test's, one thread each, listening on port 53 of a loopback address,
 * given the hierarchy's root hints and trust anchor and nothing else. Each sends its own queries
 * from its own loopback address ({@code outgoing-interface}, {@code net.outgoing_v4}), with IPv6
 * off, so that even a hint it was not given could not take a packet off the machine: Linux refuses
 * to route a datagram from 127/8 anywhere but loopback.
 */
public final class PeerResolvers {

    /** Where the resolvers under test listen: 127.153.1.1 Unbound, .2 Knot Resolver, .3 ours. */
    public static final String RESOLVERS = "127.153.1.";

    private PeerResolvers() {}

    /**
     * A resolver under test: a name for messages, where to ask it, its process when it has its own
     * (for its memory), what it logged so far, and how to stop it.
     */
    public record UnderTest(String name, InetSocketAddress address, java.util.OptionalLong pid, java.util.function.Supplier<String> log,
            AutoCloseable stop) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            stop.close();
        }
    }

    public static InetAddress resolverAddress(int n) {
        try {
            return InetAddress.getByName(RESOLVERS + n);
        } catch (java.net.UnknownHostException literal) {
            throw new IllegalStateException(literal);
        }
    }

    /** Unbound with {@code cacheMegabytes} split between its message and RRset caches. */
    public static UnderTest unbound(Path dir, Hierarchy hierarchy, InetAddress listen, int cacheMegabytes)
            throws IOException, InterruptedException {
        Sh.requireCommand("unbound", "unbound");
        Files.createDirectories(dir);
        String conf = """
                server:
                  interface: %1$s
                  port: 53
                  outgoing-interface: %1$s
                  do-ip6: no
                  do-daemonize: no
                  use-syslog: no
                  logfile: ""
                  username: ""
                  chroot: ""
                  directory: "%2$s"
                  pidfile: "%2$s/unbound.pid"
                  num-threads: 1
                  so-reuseport: no
                  msg-cache-size: %3$dm
                  rrset-cache-size: %3$dm
                  root-hints: "%4$s"
                  trust-anchor-file: "%5$s"
                  trust-anchor-signaling: no
                  root-key-sentinel: no
                  do-not-query-localhost: no
                  access-control: 127.0.0.0/8 allow
                  ede: yes
                  verbosity: 1
                  val-log-level: 2
                  module-config: "validator iterator"
                remote-control:
                  control-enable: no
                """.formatted(listen.getHostAddress(), dir, Math.max(1, cacheMegabytes / 2), hierarchy.hints(), hierarchy.trustAnchor());
        Files.writeString(dir.resolve("unbound.conf"), conf);
        Command.of("unbound-checkconf", dir.resolve("unbound.conf").toString()).run().ok();
        Started process = Command.of("unbound", "-d", "-c", dir.resolve("unbound.conf").toString()).start();
        return awaitListening("unbound", new InetSocketAddress(listen, 53), process);
    }

    /**
     * Knot Resolver with a {@code cacheMegabytes} cache. kresd ignores loopback addresses in
     * referrals (glue and name server addresses) unless a query carries its ALLOW_LOCAL flag: a
     * policy rule sets it on every request. Its modules that would send queries of their
     * own (priming, time-skew detection, trust-anchor signalling) are off, so its queries are the
     * ones the test asks for.
     */
    public static UnderTest kresd(Path dir, Hierarchy hierarchy, InetAddress listen, int cacheMegabytes)
            throws IOException, InterruptedException {
        Sh.requireCommand("kresd", "knot-resolver");
        Files.createDirectories(dir);
        String conf = """
                net.ipv6 = false
                net.listen('%1$s', 53, { kind = 'dns' })
                net.outgoing_v4('%1$s')
                cache.open(%3$d * MB, 'lmdb://%2$s/cache')
                modules.unload('priming')
                modules.unload('detect_time_jump')
                modules.unload('detect_time_skew')
                modules.unload('ta_signal_query')
                modules.unload('ta_sentinel')
                trust_anchors.remove('.')
                trust_anchors.add_file('%5$s', true)
                modules.load('hints > iterate')
                hints.root_file('%4$s')
                policy.add(policy.all(policy.FLAGS({'ALLOW_LOCAL'})))
                log_level('notice')
                """.formatted(listen.getHostAddress(), dir, cacheMegabytes, hierarchy.hints(), hierarchy.trustAnchor());
        Files.writeString(dir.resolve("config"), conf);
        Started process = Command.of("kresd", "-n", "-c", dir.resolve("config").toString(), dir.toString()).in(dir).start();
        return awaitListening("kresd", new InetSocketAddress(listen, 53), process);
    }

    /**
     * Waits until it answers at all: a question without RD, which a resolver answers from its cache
     * or refuses, so the wait resolves nothing and leaves the cache cold.
     */
    static UnderTest awaitListening(String name, InetSocketAddress address, Started process) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited: " + process.out() + process.err());
            }
            if (Probe.ask(address, Probe.query(Name.ROOT, Type.NS, Probe.Flags.NO_RECURSION), Duration.ofMillis(200)).isPresent()) {
                return new UnderTest(name, address, java.util.OptionalLong.of(process.pid()), () -> process.out() + process.err(), process::stop);
            }
            Thread.sleep(50);
        }
        process.stop();
        throw new IllegalStateException(name + " did not answer on " + address + " within 20 s: " + process.err());
    }
}
