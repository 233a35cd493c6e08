package jmirage.http;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.kv.Key;
import jmirage.core.net.Stack;
import jmirage.core.net.TcpListener;
import jmirage.host.ConsoleLog;
import jmirage.host.HostClock;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import jmirage.http.content.StaticContent;
import jmirage.http.server.BasicAuth;
import jmirage.http.server.HttpServer;
import jmirage.http.server.Router;
import jmirage.http.server.ServerConfig;
import jmirage.kv.MemKv;
import jmirage.testkit.OnLoop;

/**
 * The server the curl tests and the benchmark talk to, on the host target: HostScheduler, HostStack
 * on loopback, a MemKv with a few files. Run {@code main PORT FILE...} for the benchmark.
 */
public final class DemoServer implements AutoCloseable {

    public static final String INDEX = "<!doctype html><title>jmirage</title><p>"
            + "Hello from a unikernel. ".repeat(24) + "</p>\n";

    public final HostScheduler scheduler;
    public final Stack stack;
    public final HttpServer server;
    public final TcpListener listener;
    public final MemKv kv;

    /** Builds the stack the server runs on, on the demo's loop: the host's sockets or a direct stack. */
    @FunctionalInterface
    public interface StackFactory {
        Stack build(HostScheduler scheduler) throws Exception;
    }

    private DemoServer(InetAddress address, int port, ServerConfig config, LogLevel level, List<Map.Entry<String, Bytes>> files)
            throws Exception {
        this(scheduler -> new HostStack(scheduler, address), port, config, level, files);
    }

    private DemoServer(StackFactory stacks, int port, ServerConfig config, LogLevel level, List<Map.Entry<String, Bytes>> files)
            throws Exception {
        scheduler = HostScheduler.start("http-demo");
        stack = stacks.build(scheduler);
        HostClock clock = new HostClock();
        kv = new MemKv(clock);
        OnLoop.await(scheduler, () -> kv.set(Key.of("site/index.html"), Bytes.utf8(INDEX)));
        for (Map.Entry<String, Bytes> f : files) {
            OnLoop.await(scheduler, () -> kv.set(Key.of("site/" + f.getKey()), f.getValue()));
        }
        StaticContent site = new StaticContent(kv, Key.of("site"));
        Handler hello = request -> Promise.resolved(HttpResponse.text(200, "hello\n"));
        Router router = Router.builder()
                .get("/hello", (request, p) -> hello.handle(request))
                .post("/echo", (request, p) -> Promise.resolved(HttpResponse.of(200,
                        Headers.of("Content-Type", request.headers().get("Content-Type").orElse("application/octet-stream")),
                        request.body())))
                .get("/users/{id}", (request, p) -> Promise.resolved(HttpResponse.text(200, "user " + p.get("id") + "\n")))
                .get("/stream", (request, p) -> {
                    List<String> parts = new ArrayList<>(List.of("one\n", "two\n", "three\n"));
                    return Promise.resolved(new HttpResponse(200, Headers.of("Content-Type", "text/plain"),
                            new Body.Chunked(() -> Promise.resolved(parts.isEmpty()
                                    ? Optional.empty() : Optional.of(Bytes.utf8(parts.removeFirst()))))));
                })
                .get("/slow/{ms}", (request, p) -> scheduler.sleep(Duration.ofMillis(Long.parseLong(p.get("ms"))))
                        .map(u -> HttpResponse.text(200, "slept " + p.get("ms") + "\n")))
                .route("GET", "/private", BasicAuth.protect("demo", BasicAuth.users(Map.of("alice", "s3cret:x")),
                        request -> Promise.resolved(HttpResponse.text(200, "welcome "
                                + BasicAuth.credentials(request).orElseThrow().user() + "\n"))))
                .notFound(site)
                .build();
        server = new HttpServer(scheduler, clock, ConsoleLog.create("http", level, clock), config, router);
        listener = OnLoop.await(scheduler, () -> server.listen(stack, port)).orElseThrow();
    }

    public static DemoServer start(ServerConfig config) throws Exception {
        return new DemoServer(InetAddress.getLoopbackAddress(), 0, config, LogLevel.WARN, List.of());
    }

    /** The same server on a stack of the caller's choosing, on {@code port}. */
    public static DemoServer start(StackFactory stacks, int port, ServerConfig config) throws Exception {
        return new DemoServer(stacks, port, config, LogLevel.WARN, List.of());
    }

    /** Also serves HTTPS, on an ephemeral port; returns that listener. */
    public TcpListener listenTls(jmirage.tls.TlsServerConfig tls) throws Exception {
        return listenTls(tls, 0);
    }

    /** Also serves HTTPS on {@code port}; returns that listener. */
    public TcpListener listenTls(jmirage.tls.TlsServerConfig tls, int port) throws Exception {
        jmirage.tls.TlsDevices devices = new jmirage.tls.TlsDevices(scheduler, new HostClock(), new jmirage.host.HostRandom());
        return OnLoop.await(scheduler, () -> server.listenTls(stack, port, tls, devices)).orElseThrow();
    }

    public int port() {
        return listener.local().port();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    @Override
    public void close() throws Exception {
        OnLoop.await(scheduler, stack::close);
        scheduler.shutdown(Duration.ofSeconds(10));
    }

    /** {@code DemoServer PORT [NAME=PATH...]}: serves until killed (the benchmark's server). */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        List<Map.Entry<String, Bytes>> files = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String[] nameAndPath = args[i].split("=", 2);
            files.add(Map.entry(nameAndPath[0], Bytes.adopt(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(nameAndPath[1])))));
        }
        DemoServer demo = new DemoServer(InetAddress.getLoopbackAddress(), port, ServerConfig.defaults(), LogLevel.WARN, files);
        System.out.println("listening on " + demo.listener.local());
        Thread.currentThread().join();
    }
}
