package jmirage.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.Datagram;
import jmirage.core.net.NetError;
import jmirage.core.net.UdpSocket;
import jmirage.testkit.OnLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HostStackUdpTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final HostScheduler scheduler = HostScheduler.start("udp-test");
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
