package jmirage.dns.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.Promise;
import jmirage.core.RecordingLog;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Type;
import jmirage.host.HostClock;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import jmirage.testkit.OnLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server shell with a {@link UdpShortcut}, on loopback sockets: what the shortcut answers goes
 * out as it is, counted by the observer, and the handler never sees it; what it passes on, or fails
 * on, the handler answers; an empty answer is silence; and the shell's own response rate limit,
 * which the shortcut would bypass, cannot be combined with one.
 */
class UdpShortcutTest {

    private static final Bytes FROM_SHORTCUT = Bytes.fromHex("0001" + "8180" + "0000000000000000");
    private final HostScheduler loop = HostScheduler.start("shortcut-test");
    private final HostClock clock = new HostClock();
    private final InetAddress address = InetAddress.ofLiteral("127.44." + (1 + ThreadLocalRandom.current().nextInt(250)) + "."
            + (1 + ThreadLocalRandom.current().nextInt(250)));
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private HostStack stack;
    private DnsServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            OnLoop.await(loop, server::stop);
        }
        if (stack != null) {
            OnLoop.await(loop, stack::close);
        }
        loop.shutdown(Duration.ofSeconds(5));
    }

    private void start(UdpShortcut shortcut) throws Exception {
        stack = new HostStack(loop, address);
        Handler handler = request -> {
            seen.add("handler " + request.message().questions().getFirst().name());
            return Promise.resolved(List.of(Responses.encodeWithin(Responses.truncated(request.message()), 512)));
        };
        QueryObserver observer = new QueryObserver() {
            @Override
            public void answered(Request request, List<Bytes> responses) {
                seen.add("answered " + responses.size());
            }

            @Override
            public void answeredFromBytes(List<Bytes> responses) {
                seen.add("from bytes " + responses.size());
            }
        };
        RecordingLog log = new RecordingLog("dns", LogLevel.INFO, clock, records::add);
        server = OnLoop.await(loop, () -> DnsServer.start(stack, loop, clock, log, handler, new DnsServer.Config(0, 0, 0, 16, 512, Duration.ofSeconds(10)),
                observer, Optional.of(shortcut))).orElseThrow(e -> new IllegalStateException(e.describe()));
    }

    private Optional<Bytes> ask(String name) throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.ofLiteral("127.0.0.1"))) {
            socket.setSoTimeout(500);
            byte[] query = MessageCodec.encode(Message.query(7, Name.of(name), Type.A, Optional.empty())).toArray();
            socket.send(new DatagramPacket(query, query.length, address, server.port()));
            byte[] buffer = new byte[2048];
            DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(answer);
            } catch (SocketTimeoutException silence) {
                return Optional.empty();
            }
            return Optional.of(Bytes.of(buffer, 0, answer.getLength()));
        }
    }

    @Test
    void whatTheShortcutAnswersNeverReachesTheHandler() throws Exception {
        start((query, source, now) -> switch (MessageCodec.decode(query).orElseThrow().questions().getFirst().name().toString()) {
            case "known.example." -> Optional.of(List.of(FROM_SHORTCUT));
            case "silent.example." -> Optional.of(List.of());
            case "broken.example." -> throw new IllegalStateException("a bug in the shortcut");
            default -> Optional.empty();
        });

        assertEquals(Optional.of(FROM_SHORTCUT), ask("known.example."));
        assertEquals(Optional.empty(), ask("silent.example."));
        Message passed = MessageCodec.decode(ask("other.example.").orElseThrow()).orElseThrow();
        assertTrue(passed.header().tc() && passed.header().id() == 7, "the handler's answer");
        assertTrue(ask("broken.example.").isPresent(), "the handler answers when the shortcut fails");

        assertEquals(List.of("from bytes 1", "from bytes 0", "handler other.example.", "answered 1", "handler broken.example.",
                "answered 1"), seen);
        assertTrue(records.stream().anyMatch(r -> r.level() == LogLevel.ERROR && r.message().contains("a bug in the shortcut")));
    }

    @Test
    void aShortcutCannotBypassTheShellsRateLimit() {
        stack = new HostStack(loop, address);
        RecordingLog log = new RecordingLog("dns", LogLevel.INFO, clock, records::add);
        assertThrows(IllegalArgumentException.class, () -> DnsServer.start(stack, loop, clock, log, request -> Promise.resolved(List.of()),
                DnsServer.Config.defaults(0), QueryObserver.NONE, Optional.of((query, source, now) -> Optional.empty())));
    }
}
