package jmirage.launcher;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import jmirage.core.Bytes;
import jmirage.core.Clock;
import jmirage.core.DeviceProvider;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.metrics.Metrics;
import jmirage.core.metrics.PrometheusText;
import jmirage.core.net.AddressError;
import jmirage.core.net.Endpoint;
import jmirage.core.net.NetError;
import jmirage.core.net.Stack;
import jmirage.core.net.TcpListener;
import jmirage.host.HostStack;
import jmirage.http.Handler;
import jmirage.http.Headers;
import jmirage.http.HttpResponse;
import jmirage.http.server.HttpServer;
import jmirage.http.server.Router;
import jmirage.http.server.ServerConfig;

/**
 * {@code --metrics [ADDR:]PORT}: {@code GET /metrics} answers the unikernel's {@link Metrics} in the
 * Prometheus text format 0.0.4, {@code GET /health} answers 200 {@code ok} while the unikernel
 * serves and 503 while it boots or stops. Served by platform/http's server on the unikernel's loop
 * (so a scrape reads the counters without a lock): on the host target over a host Stack of its own
 * bound to ADDR (127.0.0.1 by default), on the tap target over the unikernel's direct stack, at its
 * own address (an ADDR is refused there).
 */
final class MetricsEndpoint {

    /** How long a scrape in flight may take to finish when the unikernel stops. */
    private static final Duration STOP_LIMIT = Duration.ofSeconds(2);

    /** Where to serve: a port, and on the host target the address to bind. */
    record Listen(Optional<InetAddress> address, int port) {}

    /** What {@code --metrics} may get wrong. */
    sealed interface ParameterError {
        /** Neither a port nor ADDR:PORT. */
        record BadEndpoint(AddressError error) implements ParameterError {}

        /** Port 0 would be a port nobody knows. */
        record PortZero(String text) implements ParameterError {}

        /** The tap target serves at the unikernel's own address; an ADDR there would be a lie. */
        record AddressOnTapTarget(String text) implements ParameterError {}

        default String describe() {
            return "--metrics: " + switch (this) {
                case BadEndpoint(AddressError e) -> e.describe();
                case PortZero(String text) -> "port out of 1..65535 in " + text;
                case AddressOnTapTarget(String text) -> "on the tap target the endpoint is at the unikernel's own"
                        + " address; give only the PORT, not " + text;
            };
        }
    }

    /** Why the endpoint cannot open, once the parameter is well formed. */
    sealed interface OpenError {
        /** On the tap target, the unikernel's own stack did not come up. */
        record NoStack(String reason) implements OpenError {}

        /** The stack would not listen on the port. */
        record PortRefused(int port, NetError error) implements OpenError {}

        default String describe() {
            return "--metrics" + switch (this) {
                case NoStack(String reason) -> " needs the TCP/IP stack of the TAP interface: " + reason;
                case PortRefused(int port, NetError e) -> ": port " + port + ": " + e.describe();
            };
        }
    }

    /** What {@code /health} says. */
    enum Health { BOOTING, SERVING, STOPPING }

    private final HttpServer server;
    private final TcpListener listener;
    private final Optional<Stack> ownStack;
    private Health health = Health.BOOTING;

    private MetricsEndpoint(HttpServer server, TcpListener listener, Optional<Stack> ownStack) {
        this.server = server;
        this.listener = listener;
        this.ownStack = ownStack;
    }

    /** Parses {@code --metrics}: empty when it was not given. */
    static Result<Optional<Listen>, ParameterError> parse(String text, CommonParameters.Target target) {
        if (text == null) {
            return Result.ok(Optional.empty());
        }
        boolean portOnly = !text.isEmpty() && text.length() <= 5 && text.chars().allMatch(c -> c >= '0' && c <= '9');
        Result<Endpoint, AddressError> endpoint = Endpoint.parse(portOnly ? "127.0.0.1:" + text : text);
        if (endpoint instanceof Result.Err<Endpoint, AddressError>(AddressError e)) {
            return Result.err(new ParameterError.BadEndpoint(portOnly ? new AddressError.BadPort(text) : e));
        }
        Endpoint parsed = endpoint.orElseThrow();
        if (parsed.port() == 0) {
            return Result.err(new ParameterError.PortZero(text));
        }
        if (!portOnly && target == CommonParameters.Target.tap) {
            return Result.err(new ParameterError.AddressOnTapTarget(text));
        }
        return Result.ok(Optional.of(new Listen(portOnly ? Optional.empty() : Optional.of(parsed.address()), parsed.port())));
    }

    /**
     * The series every unikernel has: {@code jmirage_build_info{unikernel,version} 1} and
     * {@code jmirage_start_time_seconds} (the wall time at boot, as Unix seconds).
     */
    static void registerBuiltIns(Metrics metrics, String unikernel, String version, Clock clock) {
        metrics.gauge("jmirage_build_info", "The unikernel and the version of its build; always 1.",
                "unikernel", "version").labels(unikernel, version).set(1);
        metrics.gauge("jmirage_start_time_seconds", "When the unikernel booted, in seconds since the Unix epoch.")
                .set(clock.now().toEpochMilli() / 1000.0);
    }

    /** The pure part: {@code /metrics} and {@code /health}; other paths 404, other methods 405 (Router). */
    static Handler handler(Metrics metrics, Supplier<Health> health) {
        return Router.builder()
                .get("/metrics", (request, parameters) -> Promise.resolved(HttpResponse.of(200,
                        Headers.of("Content-Type", PrometheusText.CONTENT_TYPE),
                        Bytes.utf8(PrometheusText.render(metrics.collect())))))
                .get("/health", (request, parameters) -> Promise.resolved(switch (health.get()) {
                    case SERVING -> HttpResponse.text(200, "ok\n");
                    case BOOTING -> HttpResponse.text(503, "booting\n");
                    case STOPPING -> HttpResponse.text(503, "stopping\n");
                }))
                .build();
    }

    /**
     * Opens the endpoint, answering 503 on {@code /health} until {@link #serving()}: on the host
     * target over a new host Stack bound to the address, on the tap target over the unikernel's own
     * stack. Called by the runner, off the loop (the tap target starts its stack from there), after
     * the unikernel claimed its devices.
     */
    static Result<MetricsEndpoint, OpenError> open(Listen listen, HostTarget.Devices devices) throws InterruptedException {
        Log log = devices.log().named("metrics");
        Optional<Stack> own = switch (devices.common.target) {
            case host -> Optional.of(new HostStack(devices.scheduler, listen.address().orElse(InetAddress.getLoopbackAddress())));
            case tap -> Optional.empty();
        };
        Stack stack;
        try {
            stack = own.orElseGet(devices::metricsStack);
        } catch (DeviceProvider.DeviceUnavailable e) {
            return Result.err(new OpenError.NoStack(e.getMessage()));
        }
        MetricsEndpoint[] self = new MetricsEndpoint[1];
        HttpServer server = new HttpServer(devices.scheduler, devices.clock, log, ServerConfig.defaults(),
                handler(devices.metrics(), () -> self[0] == null ? Health.BOOTING : self[0].health));
        Result<TcpListener, NetError> listening = HostTarget.onLoop(devices.scheduler, () -> server.listen(stack, listen.port()));
        return switch (listening) {
            case Result.Ok<TcpListener, NetError>(TcpListener listener) -> {
                self[0] = new MetricsEndpoint(server, listener, own);
                log.info("metrics at http://" + where(stack, listen) + "/metrics, health at /health");
                yield Result.ok(self[0]);
            }
            case Result.Err<TcpListener, NetError>(NetError e) -> {
                if (own.isPresent()) {
                    HostTarget.onLoop(devices.scheduler, own.get()::close);
                }
                yield Result.err(new OpenError.PortRefused(listen.port(), e));
            }
        };
    }

    private static String where(Stack stack, Listen listen) {
        InetAddress address = listen.address().orElseGet(() -> stack.addresses().isEmpty()
                ? InetAddress.getLoopbackAddress() : stack.addresses().getFirst());
        return new Endpoint(address, listen.port()).toString();
    }

    /** The unikernel has booted: {@code /health} says 200. On the loop. */
    void serving() {
        health = Health.SERVING;
    }

    /** The unikernel is stopping: {@code /health} says 503. On the loop. */
    void stopping() {
        health = Health.STOPPING;
    }

    /** Stops listening, lets a scrape in flight finish (bounded), closes its own stack. On the loop. */
    Promise<Unit> close(Scheduler scheduler) {
        health = Health.STOPPING;
        return listener.close()
                .flatMap(u -> scheduler.withTimeout(server.stop(), STOP_LIMIT, Unit.UNIT))
                .flatMap(u -> ownStack.map(Stack::close).orElse(Promise.done()));
    }
}
