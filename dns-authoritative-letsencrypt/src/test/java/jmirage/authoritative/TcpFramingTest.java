package jmirage.authoritative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Type;
import org.junit.jupiter.api.Test;

/**
 * DNS over TCP (RFC 1035 4.2.2, RFC 7766) as a client may really send it: many queries pipelined on
 * one connection, their bytes cut at random places (length prefixes split in two, several messages
 * in one segment), answered in order; and stopping the server with idle connections open is prompt.
 */
class TcpFramingTest {

    static final int PORT = 21453;

    @Test
    void pipelinedQueriesCutAtRandomPlacesAreAnsweredInOrder() throws Exception {
        try (Harness server = Harness.onLoopback(PORT)) {
            Random r = new Random(5);
            List<String> names = List.of("web.example.test.", "www.example.test.", "nope.example.test.",
                    "a.wild.example.test.", "long.example.test.", "x.child.example.test.");
            for (int round = 0; round < 5; round++) {
                List<Message> queries = new ArrayList<>();
                ByteArrayOutputStream stream = new ByteArrayOutputStream();
                for (int i = 0; i < 60; i++) {
                    Message q = Message.query(round * 100 + i, Name.of(names.get(r.nextInt(names.size()))),
                            r.nextBoolean() ? Type.A : Type.TXT, Optional.empty());
                    byte[] wire = MessageCodec.encode(q).toArray();
                    stream.write(wire.length >>> 8);
                    stream.write(wire.length);
                    stream.write(wire);
                    queries.add(q);
                }
                byte[] all = stream.toByteArray();
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), PORT), 2000);
                    s.setSoTimeout(5000);
                    s.setTcpNoDelay(true);
                    OutputStream out = s.getOutputStream();
                    for (int at = 0; at < all.length; ) {
                        int n = Math.min(all.length - at, 1 + r.nextInt(r.nextBoolean() ? 3 : 200));
                        out.write(all, at, n);
                        out.flush();
                        at += n;
                        if (r.nextInt(10) == 0) {
                            Thread.sleep(2);
                        }
                    }
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    for (Message q : queries) {
                        byte[] a = new byte[in.readUnsignedShort()];
                        in.readFully(a);
                        Message answer = PeerServers.decode(a);
                        assertEquals(q.header().id(), answer.header().id(), "answers come in the order of the queries");
                        assertEquals(q.questions(), answer.questions());
                        assertTrue(!answer.header().tc(), "no truncation over TCP");
                    }
                }
            }
        }
    }

    @Test
    void stoppingWithIdleConnectionsOpenIsPrompt() throws Exception {
        Harness server = Harness.start(Harness::loopback, PORT + 1, Map.of("example.test", TestZones.text()));
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), PORT + 1), 2000);
                idle.add(s);
            }
            Thread.sleep(200);
            long started = System.nanoTime();
            server.close();
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(millis < 3000, "stopped in " + millis + " ms, not after the 10 s idle timeout");
            for (Socket s : idle) {
                s.setSoTimeout(2000);
                assertEquals(-1, s.getInputStream().read(), "the server closed the idle connection");
            }
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }
}
