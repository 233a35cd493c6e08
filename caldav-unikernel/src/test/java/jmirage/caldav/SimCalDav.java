package jmirage.caldav;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.http.Headers;
import jmirage.http.HttpRequest;
import jmirage.http.HttpResponse;
import jmirage.http.client.ClientConfig;
import jmirage.http.client.HttpClientConnection;
import jmirage.kv.MemKv;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;

/**
 * The caldav unikernel on the simulation target: booted as {@link Simulation#boot} does on a direct
 * stack at 10.0.0.2, a client host at 10.0.0.3 (or others) beside it, a store in memory that
 * outlives a restart; requests over plain HTTP in virtual time.
 */
final class SimCalDav {

    static final Instant START = Instant.parse("2027-01-01T00:00:00Z");
    static final int HTTP_PORT = 8080;
    static final int HTTPS_PORT = 8443;
    private static final Pattern PASSWORD = Pattern.compile("with password (\\S+) ");

    final Simulation sim;
    final VirtualSwitch lan;
    final MemKv kv;
    /** The store the unikernel is given: {@link #kv}, with commits that fail while {@link #failCommits} is set. */
    final FlakyKv flaky;
    boolean failCommits;
    private DirectStack serverStack;
    Unikernel.Running running;
    jmirage.core.metrics.Metrics metrics;

    SimCalDav(long seed, VirtualSwitch.Conditions conditions) {
        sim = new Simulation(seed, START);
        lan = VirtualSwitch.of(sim, conditions);
        kv = new MemKv(sim.clock());
        flaky = new FlakyKv();
    }

    final class FlakyKv extends jmirage.testkit.ForwardingKv {
        FlakyKv() {
            super(kv);
        }

        @Override
        public jmirage.core.Promise<Result<jmirage.core.Unit, jmirage.core.kv.KvError>> commit(jmirage.core.kv.Batch batch) {
            return failCommits ? jmirage.core.Promise.resolved(Result.err(new jmirage.core.kv.KvError.Storage("disk full (test)")))
                    : inner.commit(batch);
        }
    }

    DirectStack stack(int host) {
        Ipv4Config config = new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.0.0." + host + "/24").orElseThrow(), Optional.empty());
        return sim.await(DirectStack.start(lan.port(new MacAddress(0x02_00_00_00_00_00L | host)), config,
                sim.clock(), sim.scheduler(), sim.random(), sim.log("host" + host, LogLevel.INFO))).orElseThrow();
    }

    /** Boots (again, on the same store) with HTTP on 8080 and HTTPS on 8443. */
    Result<Unikernel.Running, String> boot() {
        if (serverStack == null) {
            serverStack = stack(2);
        }
        CalDav caldav = new CalDav();
        CalDav.Parameters p = caldav.parameters();
        p.httpPort = HTTP_PORT;
        p.httpsPort = HTTPS_PORT;
        // Simulation.boot's steps, keeping the provider so that tests read the metrics it made
        jmirage.core.DeviceProvider provider = sim.devices(caldav.name(), s -> flaky, s -> serverStack);
        metrics = provider.metrics();
        Result<Unikernel.Running, String> r = sim.await(caldav.start(caldav.claim(provider), p));
        if (r instanceof Result.Ok<Unikernel.Running, String>(Unikernel.Running up)) {
            running = up;
        }
        return r;
    }

    void stop() {
        sim.await(running.stop());
        running = null;
    }

    InetAddress address() {
        return InetAddress.ofLiteral("10.0.0.2");
    }

    /** The passwords the log showed, in order (one per first boot). */
    List<String> printedPasswords() {
        return sim.records().stream().map(LogRecord::message).map(PASSWORD::matcher).filter(Matcher::find).map(m -> m.group(1)).toList();
    }

    /** The log so far, for failure messages. */
    String logText() {
        StringBuilder b = new StringBuilder("\nlog:\n");
        sim.records().forEach(r -> b.append(r.level()).append(' ').append(r.source()).append(": ").append(r.message()).append('\n'));
        return b.toString();
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** One request on a new connection from {@code client}. */
    HttpResponse send(DirectStack client, HttpRequest request) {
        Flow flow = sim.await(client.connectTcp(new Endpoint(address(), HTTP_PORT))).orElseThrow();
        return sim.await(HttpClientConnection.once(flow, sim.scheduler(), ClientConfig.defaults(), request)).orElseThrow();
    }

    static HttpRequest request(String method, String target, String authorization, String body, String... headers) {
        Headers h = Headers.of(headers);
        if (authorization != null) {
            h = h.with("Authorization", authorization);
        }
        return HttpRequest.of(method, target, h, Bytes.utf8(body));
    }
}
