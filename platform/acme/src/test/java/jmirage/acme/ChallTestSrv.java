package jmirage.acme;

import java.util.List;
import java.util.Optional;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.testkit.Command;
import jmirage.testkit.NetNamespace;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import jmirage.testkit.Started;

/**
 * A running pebble-challtestsrv (Debian package {@code pebble}) as the DNS server pebble's
 * validation asks, and as the test's {@link Dns01}: publish and remove go to its management API
 * ({@code /set-txt}, {@code /clear-txt}) by curl, run off the loop. Every A query is answered with
 * {@code defaultIpv4} (pebble's address, for a client that reaches pebble by name).
 */
final class ChallTestSrv implements Dns01, AutoCloseable {

    private final String address;
    private final Optional<NetNamespace> namespace;
    private final Scheduler scheduler;
    private final Started process;
    int cleared;

    private ChallTestSrv(String address, Optional<NetNamespace> namespace, Scheduler scheduler, Started process) {
        this.address = address;
        this.namespace = namespace;
        this.scheduler = scheduler;
        this.process = process;
    }

    /** Starts it on {@code address} (DNS on 8053, management on 8055), in {@code namespace} if given, and waits until it answers. */
    static ChallTestSrv start(String address, String defaultIpv4, Optional<NetNamespace> namespace, Scheduler scheduler)
            throws InterruptedException {
        Sh.requireCommand("pebble-challtestsrv", "pebble");
        Sh.requireCommand("curl", "curl");
        Started process = Command.of(inNamespace(namespace, List.of("pebble-challtestsrv", "-dns01", address + ":8053",
                "-management", address + ":8055", "-http01", "", "-https01", "", "-tlsalpn01", "", "-defaultIPv6", ""))).start();
        ChallTestSrv server = new ChallTestSrv(address, namespace, scheduler, process);
        for (int i = 0; i < 100; i++) {
            if (server.management("/set-default-ipv4", "{\"ip\":\"" + defaultIpv4 + "\"}").succeeded()) {
                return server;
            }
            Thread.sleep(100);
        }
        process.stop();
        throw new AssertionError("pebble-challtestsrv did not answer: " + process.out() + process.err());
    }

    /** Its DNS server, {@code ADDRESS:8053}, for pebble's {@code -dnsserver}. */
    String dnsServer() {
        return address + ":8053";
    }

    /** The TXT values at {@code name} now, asked with dig. */
    String txt(String name) {
        Sh.requireCommand("dig", "dnsutils");
        return Command.of(inNamespace(namespace, List.of("dig", "@" + address, "-p", "8053", "+short", "TXT", name))).run().ok()
                .out().strip();
    }

    @Override
    public Promise<Result<Unit, String>> publish(String identifier, String value) {
        return call("/set-txt", "{\"host\":\"_acme-challenge." + identifier + ".\",\"value\":\"" + value + "\"}");
    }

    @Override
    public Promise<Result<Unit, String>> remove(String identifier, String value) {
        return call("/clear-txt", "{\"host\":\"_acme-challenge." + identifier + ".\"}").map(r -> {
            if (r.isOk()) {
                cleared++;
            }
            return r;
        });
    }

    @Override
    public void close() {
        process.stop();
    }

    private Promise<Result<Unit, String>> call(String path, String json) {
        return scheduler.detach(() -> management(path, json)).map(ran -> ran.succeeded()
                ? Result.<Unit, String>ok(Unit.UNIT)
                : Result.<Unit, String>err(ran.describe()));
    }

    private Ran management(String path, String json) {
        return Command.of(inNamespace(namespace, List.of("curl", "-sS", "--fail", "--max-time", "5", "-d", json,
                "http://" + address + ":8055" + path))).run();
    }

    private static List<String> inNamespace(Optional<NetNamespace> namespace, List<String> command) {
        return namespace.map(ns -> ns.exec(command)).orElse(command);
    }
}
