package jmirage.examples.echo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import jmirage.core.LogLevel;
import jmirage.core.metrics.Metrics;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.host.ConsoleLog;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Echo, discard and chargen over real sockets, the unikernel on the host target's devices. */
class EchoOnHostTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private HostScheduler scheduler;
    private HostStack stack;
    private Unikernel.Running running;
    private int base;

    @BeforeEach
    void boot() throws Exception {
        scheduler = HostScheduler.start("echo-test");
        stack = new HostStack(scheduler, LOOPBACK);
        Echo echo = new Echo();
        Echo.Parameters parameters = echo.parameters();
        for (int attempt = 0; ; attempt++) {
            parameters.portBase = ThreadLocalRandom.current().nextInt(20_000, 40_000);
            Result<Unikernel.Running, String> started = onLoop(() -> {
                CompletableFuture<Result<Unikernel.Running, String>> f = new CompletableFuture<>();
                Echo.Devices devices = new Echo.Devices(stack, ConsoleLog.create("echo", LogLevel.INFO, new HostClock()), new HostRandom(), new Metrics());
                echo.start(devices, parameters).onSuccess(f::complete);
                return f;
            });
            if (started.isOk() || attempt == 10) {
                running = started.orElseThrow();
                base = parameters.portBase;
                return;
            }
        }
    }

    @AfterEach
    void stop() throws Exception {
        onLoop(() -> {
            CompletableFuture<Object> f = new CompletableFuture<>();
            running.stop();
            stack.close().onComplete((v, e) -> f.complete(v));
            return f;
        });
        scheduler.shutdown(Duration.ofSeconds(5));
    }

    private <T> T onLoop(java.util.function.Supplier<CompletableFuture<T>> action) throws Exception {
        CompletableFuture<CompletableFuture<T>> outer = new CompletableFuture<>();
        scheduler.execute(() -> outer.complete(action.get()));
        return outer.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
    }

    @Test
    void tcpEchoReturnsEveryByteInOrder() throws IOException {
        byte[] data = new byte[3 * 1024 * 1024];
        new SplittableRandom(1).nextBytes(data);
        try (Socket s = new Socket(LOOPBACK, base + Echo.ECHO)) {
            s.setSoTimeout(10_000);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    s.getOutputStream().write(data);
                    s.shutdownOutput();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] back = s.getInputStream().readAllBytes();
            assertArrayEquals(data, back);
            writer.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void tcpDiscardAnswersNothingAndClosesAfterThePeer() throws IOException {
        try (Socket s = new Socket(LOOPBACK, base + Echo.DISCARD)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(new byte[100_000]);
            s.shutdownOutput();
            assertEquals(-1, s.getInputStream().read());
        }
    }

    @Test
    void tcpChargenStreamsThePatternAtTheReadersPace() throws IOException {
        try (Socket s = new Socket(LOOPBACK, base + Echo.CHARGEN)) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (got.size() < 3 * Chargen.CYCLE.size()) {
                int n = in.read(buffer);
                assertTrue(n > 0);
                got.write(buffer, 0, n);
            }
            byte[] expected = Chargen.CYCLE.concat(Chargen.CYCLE).concat(Chargen.CYCLE).toArray();
            byte[] actual = java.util.Arrays.copyOf(got.toByteArray(), expected.length);
            assertArrayEquals(expected, actual);
        }
    }

    @Test
    void udpEchoAndChargenAnswerDatagramsAndDiscardDoesNot() throws IOException {
        try (DatagramSocket udp = new DatagramSocket(0, LOOPBACK)) {
            udp.setSoTimeout(5000);
            byte[] payload = "ping".getBytes(StandardCharsets.US_ASCII);
            udp.send(new DatagramPacket(payload, payload.length, new InetSocketAddress(LOOPBACK, base + Echo.ECHO)));
            DatagramPacket answer = new DatagramPacket(new byte[1024], 1024);
            udp.receive(answer);
            assertEquals("ping", new String(answer.getData(), 0, answer.getLength(), StandardCharsets.US_ASCII));

            udp.send(new DatagramPacket(payload, payload.length, new InetSocketAddress(LOOPBACK, base + Echo.DISCARD)));
            udp.send(new DatagramPacket(payload, payload.length, new InetSocketAddress(LOOPBACK, base + Echo.CHARGEN)));
            udp.receive(answer);
            // The first answer after discard's silence is chargen's: 0 to 512 characters of the pattern.
            assertEquals(base + Echo.CHARGEN, answer.getPort());
            assertTrue(answer.getLength() <= 512);
            assertEquals(Chargen.datagram(answer.getLength()), jmirage.core.Bytes.of(answer.getData(), 0, answer.getLength()));
        }
    }
}
