package jmirage.dns.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One framed message out and one framed answer in (RFC 1035 4.2.2, RFC 7766 8) through the host
 * stack, against a plain JDK socket on 127.17.6.1 that plays the server: an answer in pieces, a
 * server that closes early, one that stays silent, none at all.
 */
class TcpExchangeTest {

    static final InetAddress PEER = address("127.17.6.1");
    static final Bytes QUERY = Bytes.utf8("a DNS message, as far as framing cares");

    final HostScheduler scheduler = HostScheduler.start("dns-tcp-exchange-test");
    final HostStack stack = new HostStack(scheduler, InetAddress.getLoopbackAddress());

    @AfterEach
    void stop() throws Exception {
        await(stack::close);
        assertTrue(scheduler.shutdown(Duration.ofSeconds(10)));
    }

    @Test
    void theAnswerIsReadWholeWhateverPiecesItComesIn() throws Exception {
        Bytes answer = Bytes.of(new byte[700]).concat(Bytes.utf8("end"));
        try (ServerSocket server = listen()) {
            CompletableFuture<Bytes> received = serve(server, (in, out) -> {
                Bytes framed = TcpExchange.frame(answer);
                out.write(framed.slice(0, 1).toArray());   // the length split across writes
                out.flush();
                Thread.sleep(50);
                out.write(framed.slice(1, 300).toArray());
                out.flush();
                Thread.sleep(50);
                out.write(framed.slice(300, framed.size()).toArray());
                out.flush();
                in.read();   // until we close
            });
            Result<Bytes, ExchangeError> r = await(() -> TcpExchange.exchange(stack, scheduler, at(server), QUERY, Duration.ofSeconds(5)));
            assertEquals(Result.ok(answer), r);
            assertEquals(QUERY, received.get(5, TimeUnit.SECONDS), "the message went out behind its two-byte length");
        }
    }

    @Test
    void aServerThatClosesBeforeTheWholeAnswerIsClosedEarly() throws Exception {
        try (ServerSocket server = listen()) {
            serve(server, (in, out) -> out.write(new byte[] {0, 10, 1, 2, 3}));
            Result<Bytes, ExchangeError> r = await(() -> TcpExchange.exchange(stack, scheduler, at(server), QUERY, Duration.ofSeconds(5)));
            assertEquals(Result.err(new ExchangeError.ClosedEarly(at(server), 5)), r);
        }
    }

    @Test
    void aSilentServerTimesOutAndTheConnectionIsLetGo() throws Exception {
        try (ServerSocket server = listen()) {
            CompletableFuture<Integer> afterTimeout = new CompletableFuture<>();
            serve(server, (in, out) -> afterTimeout.complete(in.read()));
            Result<Bytes, ExchangeError> r = await(() -> TcpExchange.exchange(stack, scheduler, at(server), QUERY, Duration.ofMillis(300)));
            assertEquals(Result.err(new ExchangeError.TimedOut(at(server), Duration.ofMillis(300))), r);
            assertEquals(-1, afterTimeout.get(5, TimeUnit.SECONDS), "we closed the connection");
        }
    }

    @Test
    void nobodyListeningIsAConnectError() throws Exception {
        Endpoint closed;
        try (ServerSocket server = listen()) {
            closed = at(server);
        }
        Result<Bytes, ExchangeError> r = await(() -> TcpExchange.exchange(stack, scheduler, closed, QUERY, Duration.ofSeconds(5)));
        assertInstanceOf(ExchangeError.Connect.class, ((Result.Err<Bytes, ExchangeError>) r).error());
    }

    @Test
    void aMessageLongerThanSixteenBitsCannotBeFramed() {
        assertEquals(65537, TcpExchange.frame(Bytes.of(new byte[65535])).size());
        assertThrows(IllegalArgumentException.class, () -> TcpExchange.frame(Bytes.of(new byte[65536])));
    }

    interface Script {
        void run(InputStream in, OutputStream out) throws Exception;
    }

    /** Accepts one connection, reads one framed message (completing with it), then runs {@code script}. */
    static CompletableFuture<Bytes> serve(ServerSocket server, Script script) {
        CompletableFuture<Bytes> received = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (Socket s = server.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] message = new byte[in.readUnsignedShort()];
                in.readFully(message);
                received.complete(Bytes.of(message));
                script.run(in, s.getOutputStream());
            } catch (Exception e) {
                received.completeExceptionally(e);
            }
        });
        return received;
    }

    static ServerSocket listen() throws Exception {
        return new ServerSocket(0, 1, PEER);
    }

    static Endpoint at(ServerSocket server) {
        return new Endpoint(PEER, server.getLocalPort());
    }

    <T> T await(Supplier<Promise<T>> action) throws Exception {
        CompletableFuture<T> out = new CompletableFuture<>();
        scheduler.execute(() -> action.get().onComplete((v, e) -> {
            if (e != null) {
                out.completeExceptionally(e);
            } else {
                out.complete(v);
            }
        }));
        return out.get(30, TimeUnit.SECONDS);
    }

    static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
