package jmirage.dns.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stub client against a small resolver-like peer on loopback (plain JDK sockets, UDP and TCP on one port). */
class StubClientTest {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    final HostScheduler scheduler = HostScheduler.start("dns-stub-test");
    final HostStack stack = new HostStack(scheduler, LOOPBACK);
    final Peer peer = new Peer();

    @AfterEach
    void stop() throws Exception {
        peer.close();
        await(stack::close);
        assertTrue(scheduler.shutdown(Duration.ofSeconds(10)));
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

    /** Answers A queries: "big." with 60 records (truncated over UDP), "slow." only on the second try, "spoof." first with a wrong ID. */
    static final class Peer implements AutoCloseable {
        final DatagramSocket udp;
        final Endpoint endpoint;
        final ServerSocket tcp;
        final List<Integer> ids = new CopyOnWriteArrayList<>();
        final List<Integer> ports = new CopyOnWriteArrayList<>();
        final AtomicInteger tcpQueries = new AtomicInteger();
        final AtomicInteger slowSeen = new AtomicInteger();
        final List<Thread> threads = new ArrayList<>();

        Peer() {
            ServerSocket t = null;
            DatagramSocket u = null;
            for (int i = 0; i < 20 && u == null; i++) {
                try {
                    t = new ServerSocket(0, 10, LOOPBACK);
                    u = new DatagramSocket(t.getLocalPort(), LOOPBACK);
                } catch (java.io.IOException e) {
                    try {
                        t.close();
                    } catch (java.io.IOException ignored) {
                        // retry with another port
                    }
                }
            }
            udp = u;
            tcp = t;
            endpoint = new Endpoint(LOOPBACK, u.getLocalPort());
            threads.add(Thread.ofPlatform().daemon().start(this::serveUdp));
            threads.add(Thread.ofPlatform().daemon().start(this::serveTcp));
        }

        Endpoint endpoint() {
            return endpoint;
        }

        static Message answer(Message q) {
            Name name = q.questions().get(0).name();
            int count = name.equals(Name.of("big.")) ? 60 : 1;
            List<Record> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                answers.add(Record.in(name, 60, new Rdata.A((java.net.Inet4Address) ip(i))));
            }
            Header h = new Header(q.header().id(), true, 0, false, false, true, true, false, false, false, 0);
            return new Message(h, q.questions(), answers, List.of(), List.of(), Optional.empty());
        }

        static InetAddress ip(int i) {
            try {
                return InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i});
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        void serveUdp() {
            byte[] buf = new byte[65535];
            while (!udp.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    udp.receive(p);
                    Message q = MessageCodec.decode(Bytes.of(buf, 0, p.getLength())).orElseThrow();
                    ids.add(q.header().id());
                    ports.add(p.getPort());
                    Name name = q.questions().get(0).name();
                    if (name.equals(Name.of("slow.")) && slowSeen.incrementAndGet() == 1) {
                        continue; // drop the first query: the client must retry
                    }
                    if (name.equals(Name.of("spoof."))) {
                        Message wrong = answer(q).withHeader(answer(q).header().withId((q.header().id() + 1) & 0xffff));
                        send(MessageCodec.encode(wrong), p);
                    }
                    send(MessageCodec.encode(answer(q), 512), p); // RFC 1035 4.2.1: 512 bytes without EDNS
                } catch (java.io.IOException e) {
                    return;
                }
            }
        }

        void send(Bytes b, DatagramPacket to) throws java.io.IOException {
            udp.send(new DatagramPacket(b.toArray(), b.size(), to.getSocketAddress()));
        }

        void serveTcp() {
            while (!tcp.isClosed()) {
                try (Socket s = tcp.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    byte[] q = new byte[in.readUnsignedShort()];
                    in.readFully(q);
                    tcpQueries.incrementAndGet();
                    Bytes a = MessageCodec.encode(answer(MessageCodec.decode(Bytes.of(q)).orElseThrow()));
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    // in two pieces, so the client must put the stream back together
                    out.writeShort(a.size());
                    out.write(a.toArray(), 0, 100);
                    out.flush();
                    Thread.sleep(20);
                    out.write(a.toArray(), 100, a.size() - 100);
                    out.flush();
                } catch (java.io.IOException | InterruptedException e) {
                    if (tcp.isClosed()) {
                        return;
                    }
                }
            }
        }

        @Override
        public void close() throws Exception {
            udp.close();
            tcp.close();
        }
    }

    StubClient client(Duration timeout, int attempts) {
        return new StubClient(stack, scheduler, new HostRandom(), new StubClient.Config(peer.endpoint(), timeout, attempts, 512));
    }

    @Test
    void answersOverUdpWithRandomIdsAndPorts() throws Exception {
        StubClient c = client(Duration.ofSeconds(2), 2);
        for (int i = 0; i < 8; i++) {
            Name name = Name.of("host" + i % 2 + ".");
            Message m = await(() -> c.query(name, Type.A)).orElseThrow();
            assertEquals(1, m.answers().size());
            assertEquals("10.0.0.0", ((Rdata.A) m.answers().get(0).rdata()).address().getHostAddress());
        }
        Set<Integer> ids = new HashSet<>(peer.ids);
        Set<Integer> ports = new HashSet<>(peer.ports);
        assertTrue(ids.size() >= 7, "IDs should differ: " + peer.ids);
        assertTrue(ports.size() >= 7, "source ports should differ: " + peer.ports);
        assertEquals(0, peer.tcpQueries.get());
    }

    @Test
    void aTruncatedAnswerIsAskedAgainOverTcp() throws Exception {
        Message m = await(() -> client(Duration.ofSeconds(3), 1).query(Name.of("big."), Type.A)).orElseThrow();
        assertEquals(60, m.answers().size());
        assertTrue(!m.header().tc());
        assertEquals(1, peer.tcpQueries.get());
    }

    @Test
    void aLostQueryIsRetried() throws Exception {
        Message m = await(() -> client(Duration.ofMillis(300), 3).query(Name.of("slow."), Type.A)).orElseThrow();
        assertEquals(1, m.answers().size());
        assertEquals(2, peer.slowSeen.get());
        assertTrue(!peer.ids.get(0).equals(peer.ids.get(1)) || !peer.ports.get(0).equals(peer.ports.get(1)));
    }

    @Test
    void anAnswerWithTheWrongIdIsIgnored() throws Exception {
        Message m = await(() -> client(Duration.ofSeconds(2), 1).query(Name.of("spoof."), Type.A)).orElseThrow();
        assertEquals(peer.ids.get(0), m.header().id());
    }

    @Test
    void silenceEndsInATimeoutAfterTheLastAttempt() throws Exception {
        peer.close();
        var r = await(() -> client(Duration.ofMillis(200), 2).query(Name.of("x."), Type.A));
        assertEquals(new StubClient.ClientError.TimedOut(2), ((Result.Err<Message, StubClient.ClientError>) r).error());
        assertInstanceOf(Result.Err.class, r);
    }
}
