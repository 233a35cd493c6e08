package jmirage.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.net.Datagram;
import jmirage.core.net.NetError;
import jmirage.core.net.UdpSocket;
import jmirage.testkit.OnLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HostStackUdpTest {

    /** Datagrams in one burst: more than one read of recvmmsg(2) takes, few enough for the socket's buffer. */
    private static final int BURST = 64;

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** The transport under test: what the host picks; a subclass runs the same tests on NIO. */
    Transport transport() {
        return Transport.detect();
    }

    private final HostScheduler scheduler = HostScheduler.start("udp-test", transport());
    private final HostStack stack = new HostStack(scheduler, LOOPBACK);

    @AfterEach
    void stop() throws Exception {
        OnLoop.await(scheduler, stack::close);
        assertTrue(scheduler.shutdown(Duration.ofSeconds(10)));
    }

    @Test
    void aDatagramIsAnsweredToItsSource() throws Exception {
        CompletableFuture<Datagram> serverGot = new CompletableFuture<>();
        CompletableFuture<Datagram> clientGot = new CompletableFuture<>();
        UdpSocket server = OnLoop.await(scheduler, () -> stack.bindUdp(0, serverGot::complete)).orElseThrow();
        UdpSocket client = OnLoop.await(scheduler, () -> stack.bindUdp(0, clientGot::complete)).orElseThrow();
        assertNotEquals(0, server.local().port());

        assertEquals(Result.ok(), OnLoop.await(scheduler, () -> client.send(server.local(), Bytes.utf8("ping"))));
        Datagram ping = serverGot.get(10, TimeUnit.SECONDS);
        assertEquals(new Datagram(client.local(), server.local(), Bytes.utf8("ping")), ping);

        assertEquals(Result.ok(), OnLoop.await(scheduler, () -> server.send(ping.source(), Bytes.utf8("pong"))));
        assertEquals(new Datagram(server.local(), client.local(), Bytes.utf8("pong")), clientGot.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aLargeDatagramArrivesWhole() throws Exception {
        CompletableFuture<Datagram> got = new CompletableFuture<>();
        UdpSocket socket = OnLoop.await(scheduler, () -> stack.bindUdp(0, got::complete)).orElseThrow();
        Bytes payload = Bytes.adopt(new byte[60_000]);

        assertEquals(Result.ok(), OnLoop.await(scheduler, () -> socket.send(socket.local(), payload)));

        assertEquals(payload, got.get(10, TimeUnit.SECONDS).payload());
    }

    @Test
    void aBurstSentInOneTurnArrivesWholeAndInOrder() throws Exception {
        List<Bytes> payloads = IntStream.range(0, BURST).mapToObj(HostStackUdpTest::payload).toList();
        List<Bytes> got = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> last = new CompletableFuture<>();
        UdpSocket server = OnLoop.await(scheduler, () -> stack.bindUdp(0, datagram -> {
            got.add(datagram.payload());
            if (datagram.payload().equals(payloads.getLast())) {
                last.complete(null);
            }
        })).orElseThrow();
        UdpSocket client = OnLoop.await(scheduler, () -> stack.bindUdp(0, datagram -> {})).orElseThrow();

        // Every send of the burst is written before the loop turn ends: one flush for them all.
        List<Result<Unit, NetError>> sent = OnLoop.await(scheduler, () -> Promise.all(
                payloads.stream().map(p -> client.send(server.local(), p)).toList()));

        assertEquals(Collections.nCopies(BURST, Result.<NetError>ok()), sent);
        last.get(10, TimeUnit.SECONDS);
        // Datagrams on loopback keep their order, so all have arrived with the last one; the empty
        // ones are not sent (as before batching), and none is sent twice in their place.
        assertEquals(nonEmpty(payloads), got);
    }

    @Test
    void answersSentWhileABurstIsReadAllLeaveInOrder() throws Exception {
        List<Bytes> payloads = IntStream.range(0, BURST).mapToObj(HostStackUdpTest::payload).toList();
        List<Bytes> echoed = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> last = new CompletableFuture<>();
        AtomicReference<UdpSocket> serverSocket = new AtomicReference<>();
        // The server answers from inside the read: its sends wait for the end of the read burst.
        UdpSocket server = OnLoop.await(scheduler, () -> stack.bindUdp(0,
                datagram -> serverSocket.get().send(datagram.source(), datagram.payload()))).orElseThrow();
        serverSocket.set(server);
        UdpSocket client = OnLoop.await(scheduler, () -> stack.bindUdp(0, datagram -> {
            echoed.add(datagram.payload());
            if (datagram.payload().equals(payloads.getLast())) {
                last.complete(null);
            }
        })).orElseThrow();

        OnLoop.await(scheduler, () -> Promise.all(payloads.stream().map(p -> client.send(server.local(), p)).toList()));

        last.get(10, TimeUnit.SECONDS);
        assertEquals(nonEmpty(payloads), echoed);
    }

    /** Datagram {@code i} of a burst: its own length (up to 945 bytes, every 16th empty) and bytes, so a mix-up shows. */
    private static Bytes payload(int i) {
        byte[] bytes = new byte[i % 16 == 0 ? 0 : i * 15];
        for (int k = 0; k < bytes.length; k++) {
            bytes[k] = (byte) (i * 31 + k);
        }
        return Bytes.adopt(bytes);
    }

    private static List<Bytes> nonEmpty(List<Bytes> payloads) {
        return payloads.stream().filter(p -> p.size() > 0).toList();
    }

    @Test
    void bindingAPortInUseIsAnError() throws Exception {
        UdpSocket first = OnLoop.await(scheduler, () -> stack.bindUdp(0, datagram -> {})).orElseThrow();

        Result<UdpSocket, NetError> second = OnLoop.await(scheduler, () -> stack.bindUdp(first.local().port(), datagram -> {}));

        assertEquals(Result.err(new NetError.AddressInUse(first.local())), second);
    }

    @Test
    void theStackAnswersOnItsListenAddress() {
        assertEquals(List.of(LOOPBACK), stack.addresses());
    }
}
