package jmirage.examples.echo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import jmirage.core.Bytes;
import jmirage.core.DeviceProvider;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.Unit;
import jmirage.core.metrics.Counter;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.Datagram;
import jmirage.core.net.Flow;
import jmirage.core.net.FlowError;
import jmirage.core.net.NetError;
import jmirage.core.net.ReadResult;
import jmirage.core.net.Stack;
import jmirage.core.net.TcpListener;
import jmirage.core.net.UdpSocket;
import jmirage.core.params.Option;

/**
 * The three oldest services of the Internet, over TCP and UDP: echo (RFC 862, port 7), discard
 * (RFC 863, port 9) and chargen (RFC 864, port 19). Devices: a network stack, a log, and randomness
 * for the length of chargen's UDP answers.
 */
public final class Echo implements Unikernel<Echo.Devices, Echo.Parameters> {

    public record Devices(Stack stack, Log log, Random random, Metrics metrics) {}

    public static final class Parameters {
        @Option(names = "--port-base", paramLabel = "N",
                description = "Serve on N+7 (echo), N+9 (discard) and N+19 (chargen), so no root is needed. Default: ${DEFAULT-VALUE}.")
        public int portBase = 0;
    }

    static final int ECHO = 7;
    static final int DISCARD = 9;
    static final int CHARGEN = 19;

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public String description() {
        return "echo, discard and chargen over TCP and UDP (RFC 862, 863, 864)";
    }

    @Override
    public int heapMiB() {
        return 32;
    }

    @Override
    public Parameters parameters() {
        return new Parameters();
    }

    @Override
    public Devices claim(DeviceProvider devices) {
        return new Devices(devices.stack(), devices.log(), devices.random(), devices.metrics());
    }

    @Override
    public Promise<Result<Running, String>> start(Devices devices, Parameters parameters) {
        if (parameters.portBase < 0 || parameters.portBase + CHARGEN > 65535) {
            return Promise.resolved(Result.err("--port-base must be between 0 and " + (65535 - CHARGEN)));
        }
        Server server = new Server(devices, parameters.portBase);
        return server.open();
    }

    /** What echo counts, per service ({@code echo}, {@code discard}, {@code chargen}) and protocol. */
    static final class Counters {
        final Counter connections;
        final Counter datagrams;
        final Counter receivedBytes;
        final Counter sentBytes;

        Counters(Metrics metrics) {
            connections = metrics.counter("jmirage_echo_connections_total", "TCP connections accepted.", "service");
            datagrams = metrics.counter("jmirage_echo_datagrams_total", "UDP datagrams received.", "service");
            receivedBytes = metrics.counter("jmirage_echo_received_bytes_total",
                    "Payload bytes received (TCP stream or UDP datagrams).", "service", "protocol");
            sentBytes = metrics.counter("jmirage_echo_sent_bytes_total",
                    "Payload bytes sent (TCP stream or UDP datagrams).", "service", "protocol");
            // Every series from boot, at zero, so a scrape shows them before the first client.
            for (String service : List.of("echo", "discard", "chargen")) {
                connections.labels(service);
                datagrams.labels(service);
                for (String protocol : List.of("tcp", "udp")) {
                    receivedBytes.labels(service, protocol);
                    sentBytes.labels(service, protocol);
                }
            }
        }
    }

    static String serviceName(int service) {
        return switch (service) {
            case ECHO -> "echo";
            case DISCARD -> "discard";
            case CHARGEN -> "chargen";
            default -> throw new IllegalArgumentException("not a service: " + service);
        };
    }

    /** A port the stack would not open; the failures of all ports become start's one line. */
    private record PortRefused(String protocol, int port, NetError error) {
        String describe() {
            return protocol + " port " + port + ": " + error.describe();
        }
    }

    /**
     * The running service: its listeners, sockets and the flows in flight. No pattern {@code switch}
     * on the way to the first answer: each generates a class at its first run in every process,
     * which the image's AOT cache cannot keep (decision 23); {@code instanceof} and {@link Result}'s
     * methods do not.
     */
    private static final class Server implements Running {
        private final Devices devices;
        private final int base;
        private final Counters counters;
        private final List<TcpListener> listeners = new ArrayList<>();
        private final Map<Integer, UdpSocket> sockets = new HashMap<>();
        private int flowsInFlight;
        private Promise<Unit> drained;

        Server(Devices devices, int base) {
            this.devices = devices;
            this.base = base;
            this.counters = new Counters(devices.metrics());
        }

        Promise<Result<Running, String>> open() {
            Stack stack = devices.stack();
            List<Promise<Result<Unit, PortRefused>>> opened = List.of(
                    tcp(ECHO, this::echo), tcp(DISCARD, this::discard), tcp(CHARGEN, this::chargen),
                    udp(ECHO, d -> reply(d, d.payload())),
                    udp(DISCARD, d -> {}),
                    udp(CHARGEN, d -> reply(d, Chargen.datagram(devices.random().nextInt(513)))));
            return Promise.all(opened).flatMap(results -> {
                List<String> failures = results.stream()
                        .flatMap(r -> r instanceof Result.Err<Unit, PortRefused>(PortRefused e) ? Stream.of(e) : Stream.empty())
                        .map(PortRefused::describe)
                        .toList();
                if (!failures.isEmpty()) {
                    return closeAll().map(u -> Result.<Running, String>err(String.join("; ", failures)));
                }
                devices.log().info("serving echo on " + (base + ECHO) + ", discard on " + (base + DISCARD)
                        + ", chargen on " + (base + CHARGEN) + " (tcp and udp) at " + stack.addresses());
                return Promise.resolved(Result.<Running, String>ok(this));
            });
        }

        private Promise<Result<Unit, PortRefused>> tcp(int service, Consumer<Flow> handler) {
            int port = base + service;
            return devices.stack().listenTcp(port, flow -> track(flow, handler)).map(r -> r
                    .map(listener -> {
                        listeners.add(listener);
                        return Unit.UNIT;
                    })
                    .mapError(e -> new PortRefused("tcp", port, e)));
        }

        private Promise<Result<Unit, PortRefused>> udp(int service, Consumer<Datagram> handler) {
            int port = base + service;
            String name = serviceName(service);
            Consumer<Datagram> counted = d -> {
                counters.datagrams.labels(name).inc();
                counters.receivedBytes.labels(name, "udp").inc(d.payload().size());
                handler.accept(d);
            };
            return devices.stack().bindUdp(port, counted).map(r -> r
                    .map(socket -> {
                        sockets.put(port, socket);
                        return Unit.UNIT;
                    })
                    .mapError(e -> new PortRefused("udp", port, e)));
        }

        private void reply(Datagram request, Bytes answer) {
            UdpSocket socket = sockets.get(request.destination().port());
            if (socket == null) {
                return; // closed while the datagram was on its way
            }
            socket.send(request.source(), answer).onSuccess(r -> {
                if (r instanceof Result.Err<Unit, NetError>(NetError e)) {
                    devices.log().debug(() -> "udp reply to " + request.source() + " failed: " + e.describe());
                } else {
                    counters.sentBytes.labels(serviceName(request.destination().port() - base), "udp").inc(answer.size());
                }
            });
        }

        private void track(Flow flow, Consumer<Flow> handler) {
            flowsInFlight++;
            counters.connections.labels(serviceName(flow.local().port() - base)).inc();
            devices.log().debug(() -> "tcp " + flow.local().port() + " accepted " + flow.remote());
            handler.accept(flow);
        }

        private void finished(Flow flow) {
            flow.close().onComplete((u, e) -> {
                flowsInFlight--;
                if (flowsInFlight == 0 && drained != null) {
                    drained.resolve(Unit.UNIT);
                }
            });
        }

        /** RFC 862: send back whatever arrives, until the peer is done. */
        private void echo(Flow flow) {
            flow.read().onComplete((r, bug) -> {
                if (r instanceof Result.Ok<ReadResult, FlowError>(ReadResult.Data(Bytes data))) {
                    counters.receivedBytes.labels("echo", "tcp").inc(data.size());
                    flow.write(data).onSuccess(w -> {
                        if (w.isOk()) {
                            counters.sentBytes.labels("echo", "tcp").inc(data.size());
                            echo(flow);
                        } else {
                            finished(flow);
                        }
                    });
                } else if (r instanceof Result.Ok<ReadResult, FlowError>(ReadResult.Eof eof)) {
                    flow.shutdownOutput().onComplete((s, e) -> finished(flow));
                } else {
                    finished(flow);
                }
            });
        }

        /** RFC 863: throw away whatever arrives. */
        private void discard(Flow flow) {
            flow.read().onComplete((r, bug) -> {
                if (r instanceof Result.Ok<ReadResult, FlowError>(ReadResult.Data(Bytes data))) {
                    counters.receivedBytes.labels("discard", "tcp").inc(data.size());
                    discard(flow);
                } else {
                    finished(flow);
                }
            });
        }

        /** RFC 864: send the pattern until the peer goes away; what it sends is thrown away. */
        private void chargen(Flow flow) {
            boolean[] done = {false};
            Runnable end = () -> {
                if (!done[0]) {
                    done[0] = true;
                    finished(flow);
                }
            };
            drainUntilEnd(flow, end);
            writeCycles(flow, done, end);
        }

        private void drainUntilEnd(Flow flow, Runnable end) {
            flow.read().onComplete((r, bug) -> {
                if (r instanceof Result.Ok<ReadResult, FlowError>(ReadResult.Data(Bytes data))) {
                    counters.receivedBytes.labels("chargen", "tcp").inc(data.size());
                    drainUntilEnd(flow, end);
                } else {
                    end.run();
                }
            });
        }

        private void writeCycles(Flow flow, boolean[] done, Runnable end) {
            if (done[0]) {
                return;
            }
            // Each write resolves only when the flow has room again: the peer's pace sets ours.
            flow.write(Chargen.CYCLE).onComplete((w, bug) -> {
                if (w != null && w.isOk()) {
                    counters.sentBytes.labels("chargen", "tcp").inc(Chargen.CYCLE.size());
                    writeCycles(flow, done, end);
                } else {
                    end.run();
                }
            });
        }

        @Override
        public Promise<Unit> stop() {
            return closeAll().flatMap(u -> {
                if (flowsInFlight == 0) {
                    return Promise.done();
                }
                devices.log().info("waiting for " + flowsInFlight + " connections to finish");
                drained = Promise.pending();
                return drained;
            });
        }

        private Promise<Unit> closeAll() {
            List<Promise<Unit>> closing = new ArrayList<>();
            listeners.forEach(l -> closing.add(l.close()));
            sockets.values().forEach(s -> closing.add(s.close()));
            listeners.clear();
            sockets.clear();
            return Promise.all(closing).map(x -> Unit.UNIT);
        }
    }
}
