package jmirage.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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
import jmirage.core.net.Endpoint;
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
    void onTheIpv6WildcardIpv4AndIpv6ClientsAreSeenAndAnsweredAsThemselves() throws Exception {
        HostStack dualStack = new HostStack(scheduler, InetAddress.getByName("::"));
        AtomicReference<UdpSocket> server = new AtomicReference<>();
        List<Datagram> got = new CopyOnWriteArrayList<>();
        server.set(OnLoop.await(scheduler, () -> dualStack.bindUdp(0, datagram -> {
            got.add(datagram);
            server.get().send(datagram.source(), datagram.payload());
        })).orElseThrow());
        try {
            for (InetAddress client : List.of(LOOPBACK, InetAddress.getByName("::1"))) {
                try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(client, 0))) {
                    socket.setSoTimeout(10_000);
                    byte[] ping = ("ping from " + client).getBytes(StandardCharsets.US_ASCII);
                    socket.send(new DatagramPacket(ping, ping.length, client, server.get().local().port()));
                    DatagramPacket echo = new DatagramPacket(new byte[100], 100);
                    socket.receive(echo);

                    assertEquals(Bytes.adopt(ping), Bytes.of(echo.getData(), 0, echo.getLength()));
                    assertEquals(new Endpoint(client, socket.getLocalPort()), got.getLast().source());
                    assertEquals(client.getClass(), got.getLast().source().address().getClass());
                }
            }
        } finally {
            OnLoop.await(scheduler, dualStack::close);
        }
    }

    @Test
    void aDestinationTheSocketCannotReachIsAnErrorAndTheSocketGoesOn() throws Exception {
        CompletableFuture<Datagram> got = new CompletableFuture<>();
        UdpSocket socket = OnLoop.await(scheduler, () -> stack.bindUdp(0, got::complete)).orElseThrow();

        // An IPv4 socket cannot send to an IPv6 address.
        Endpoint ipv6 = new Endpoint(InetAddress.getByName("::1"), 53);
        Result<Unit, NetError> refused = OnLoop.await(scheduler, () -> socket.send(ipv6, Bytes.utf8("lost")));

        assertInstanceOf(NetError.Io.class, ((Result.Err<Unit, NetError>) refused).error());
        assertEquals(Result.ok(), OnLoop.await(scheduler, () -> socket.send(socket.local(), Bytes.utf8("after"))));
        assertEquals(Bytes.utf8("after"), got.get(10, TimeUnit.SECONDS).payload());
    }

    @Test
    void whatIsSentBeforeCloseLeavesAndNothingAfter() throws Exception {
        CompletableFuture<Datagram> got = new CompletableFuture<>();
        UdpSocket receiver = OnLoop.await(scheduler, () -> stack.bindUdp(0, got::complete)).orElseThrow();
        UdpSocket socket = OnLoop.await(scheduler, () -> stack.bindUdp(0, datagram -> {})).orElseThrow();

        Result<Unit, NetError> sent = OnLoop.await(scheduler, () -> {
            Promise<Result<Unit, NetError>> last = socket.send(receiver.local(), Bytes.utf8("last words"));
            socket.close();
            return last;
        });

        assertEquals(Result.ok(), sent);
        assertEquals(Bytes.utf8("last words"), got.get(10, TimeUnit.SECONDS).payload());
        assertEquals(Result.err(new NetError.Closed()), OnLoop.await(scheduler, () -> socket.send(receiver.local(), Bytes.utf8("x"))));
    }

    @Test
    void aStackClosedFromInsideABurstDeliversNothingMoreAndBindsNothingMore() throws Exception {
        HostStack closing = new HostStack(scheduler, LOOPBACK);
        List<Datagram> got = new CopyOnWriteArrayList<>();
        UdpSocket server = OnLoop.await(scheduler, () -> closing.bindUdp(0, datagram -> {
            got.add(datagram);
            closing.close();
        })).orElseThrow();
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            for (int i = 0; i < BURST; i++) {
                client.send(new DatagramPacket(new byte[] {(byte) i}, 1, LOOPBACK, server.local().port()));
            }
        }
        for (int turn = 0; turn < 200 && got.isEmpty(); turn++) {
            Thread.sleep(50);
        }
        Thread.sleep(200); // time for the rest of the burst to arrive, were it still delivered

        assertEquals(1, got.size());
        assertEquals(Result.err(new NetError.Closed()), OnLoop.await(scheduler, () -> closing.bindUdp(0, datagram -> {})));
    }

    @Test
    void theStackAnswersOnItsListenAddress() {
        assertEquals(List.of(LOOPBACK), stack.addresses());
    }
}
