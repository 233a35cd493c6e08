package jmirage.authoritative.store;

import java.time.Duration;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.kv.Kv;
import jmirage.core.net.Stack;
import jmirage.dns.server.DnsServer;

/**
 * Zone management behind the module's real network shell ({@link DnsServer}, {@link Dispatcher},
 * {@link QueryHandler}), wired as the unikernel wires it, on any Stack: host sockets or the direct
 * stack in the simulation.
 */
public final class ZoneServer {

    public final ZoneManagement zones;
    public final DnsServer server;

    private ZoneServer(ZoneManagement zones, DnsServer server) {
        this.zones = zones;
        this.server = server;
    }

    public static Promise<Result<ZoneServer, String>> start(Kv kv, Stack stack, Scheduler scheduler, Clock clock,
            Random random, Log log, ZoneOptions options, int port) {
        return ZoneManagement.start(kv, java.util.Optional.empty(), stack, scheduler, clock, random, log, options).flatMap(z -> switch (z) {
            case Result.Err<ZoneManagement, ZoneManagementError>(ZoneManagementError e) -> Promise.resolved(Result.<ZoneServer, String>err(e.describe()));
            case Result.Ok<ZoneManagement, ZoneManagementError>(ZoneManagement zm) -> {
                DnsServer.Config config = new DnsServer.Config(port, 0, 0, 16, 512, Duration.ofSeconds(10));
                yield DnsServer.start(stack, scheduler, clock, log.named("server"), zm.handler(java.util.Optional.empty()), config,
                        jmirage.dns.server.QueryObserver.NONE)
                        .map(s -> s.map(server -> new ZoneServer(zm, server)).mapError(e -> e.describe()));
            }
        });
    }

    public Promise<Unit> stop() {
        zones.stop();
        return server.stop();
    }
}
