package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Started;
import org.junit.jupiter.api.Test;

/** The launcher in a child JVM, as an operator runs it: boot, serve, SIGTERM, exit 0. */
class HostRunnerProcessTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    static int freePortBase() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 40_000);
            if (free(base + 7) && free(base + 9) && free(base + 19)) {
                return base;
            }
        }
        throw new IOException("no free port base");
    }

    /** Sends {@code payload} in one datagram to the loopback {@code port}; the one datagram that comes back (5 s at most). */
    static String udpExchange(int port, String payload) throws IOException {
        try (DatagramSocket udp = new DatagramSocket()) {
            udp.setSoTimeout(5000);
            byte[] bytes = payload.getBytes(StandardCharsets.US_ASCII);
            udp.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(LOOPBACK, port)));
            DatagramPacket answer = new DatagramPacket(new byte[100], 100);
            udp.receive(answer);
            return new String(answer.getData(), 0, answer.getLength(), StandardCharsets.US_ASCII);
        }
    }

    static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, LOOPBACK); DatagramSocket d = new DatagramSocket(port, LOOPBACK)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void echoServesTcpAndUdpThenStopsWithExitZeroOnSigterm() throws Exception {
        int base = freePortBase();
        try (ChildLauncher child = new ChildLauncher("run", "echo", "--port-base", Integer.toString(base))) {
            child.awaitLine("serving echo on " + (base + 7));

            try (Socket s = new Socket(LOOPBACK, base + 7)) {
                s.setSoTimeout(5000);
                OutputStream o = s.getOutputStream();
                o.write("hello\n".getBytes(StandardCharsets.US_ASCII));
                s.shutdownOutput();
                assertEquals("hello\n", new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
            }
            assertEquals("datagram", udpExchange(base + 7, "datagram"));

            assertEquals(0, child.terminate());
            child.awaitLine("runner: stopping echo on SIGTERM");
        }
    }

    /** A chargen reader that never reads holds the stop open; the stop timeout bounds it, and exit is still 0. */
    @Test
    void workInFlightIsBoundedByTheStopTimeout() throws Exception {
        int base = freePortBase();
        try (ChildLauncher child = new ChildLauncher("run", "echo", "--port-base", Integer.toString(base), "--stop-timeout", "1")) {
            child.awaitLine("serving echo");
            Socket idle = new Socket(LOOPBACK, base + 19);
            idle.getInputStream().readNBytes(74); // chargen is writing: the connection is in flight
            long began = System.nanoTime();
            assertEquals(0, child.terminate());
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            assertTrue(tookMillis >= 900 && tookMillis < 10_000, "stopped after " + tookMillis + " ms");
            child.awaitLine("did not finish within 1 s");
            idle.close();
        }
    }

    @Test
    void aPortInUseIsAClearBootFailure() throws Exception {
        int base = freePortBase();
        try (ServerSocket taken = new ServerSocket(base + 9, 1, LOOPBACK);
             ChildLauncher child = new ChildLauncher("run", "echo", "--port-base", Integer.toString(base))) {
            Ran ended = child.process.waitFor(Duration.ofSeconds(30));
            assertEquals(HostTarget.EXIT_CANNOT_BOOT, ended.exit(), ended::describe);
            child.awaitLine("echo: cannot start: tcp port " + (base + 9) + ":");
        }
    }
}
