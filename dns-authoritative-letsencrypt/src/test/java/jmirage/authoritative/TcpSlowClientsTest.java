package jmirage.authoritative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Type;
import org.junit.jupiter.api.Test;

/**
 * Slow TCP clients against the running unikernel on loopback: a connection that drips one byte at
 * a time is closed when no whole query has come within --tcp-idle, and a table full of connections
 * from a few sources still lets a new source in (each source from its own 127.0.0.x address).
 */
class TcpSlowClientsTest {

    static final int PORT = 21553;
    static final byte[] QUERY = MessageCodec.encode(Message.query(7, Name.of("web.example.test."), Type.A, Optional.empty()))
            .toArray();

    static Harness server(int perSource, int total, int idleSeconds) throws Exception {
        AuthoritativeDns.Parameters p = new AuthoritativeDns.Parameters();
        p.port = PORT;
        p.rrlPerSecond = 0;
        p.tcpPerSource = perSource;
        p.tcpTotal = total;
        p.tcpIdleSeconds = idleSeconds;
        return Harness.start(Harness::loopback, Map.of("example.test", TestZones.text()), p);
    }

    static Socket connectFrom(String local) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.ofLiteral(local), 0));
        s.connect(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), PORT), 2000);
        s.setSoTimeout(5000);
        s.setTcpNoDelay(true);
        return s;
    }

    static int readOrEof(Socket s) throws IOException {
        try {
            return s.getInputStream().read();
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }

    static Message exchange(Socket s) throws IOException {
        var out = s.getOutputStream();
        out.write(new byte[] {(byte) (QUERY.length >>> 8), (byte) QUERY.length});
        out.write(QUERY);
        out.flush();
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] a = new byte[in.readUnsignedShort()];
        in.readFully(a);
        return MessageCodec.decode(jmirage.core.Bytes.of(a)).orElseThrow();
    }

    @Test
    void aConnectionDrippingOneByteAtATimeIsClosedAfterTheIdleTime() throws Exception {
        try (Harness server = server(4, 16, 2); Socket drip = connectFrom("127.0.0.1")) {
            byte[] framed = new byte[QUERY.length + 2];
            framed[0] = (byte) (QUERY.length >>> 8);
            framed[1] = (byte) QUERY.length;
            System.arraycopy(QUERY, 0, framed, 2, QUERY.length);
            long start = System.nanoTime();
            boolean closed = false;
            // one byte every 400 ms: the whole query would take over 10 s; each byte used to restart the idle timer
            for (int i = 0; i < framed.length - 1 && !closed; i++) {
                try {
                    drip.getOutputStream().write(framed[i]);
                    drip.getOutputStream().flush();
                } catch (IOException reset) {
                    closed = true;
                }
                Thread.sleep(400);
                drip.setSoTimeout(1);
                try {
                    closed = closed || drip.getInputStream().read() == -1;
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // nothing yet
                } catch (java.net.SocketException reset) {
                    closed = true;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(closed, "the dripping connection is still open after " + seconds + " s");
            assertTrue(seconds >= 1.9 && seconds < 4, "closed after " + seconds + " s, the limit being 2 s");
        }
    }

    @Test
    void aTableFullOfSlowConnectionsFromTwoSourcesStillLetsANewSourceIn() throws Exception {
        List<Socket> open = new ArrayList<>();
        try (Harness server = server(2, 4, 30)) {
            for (String source : List.of("127.0.0.2", "127.0.0.3")) {
                for (int i = 0; i < 2; i++) {
                    Socket s = connectFrom(source);
                    open.add(s);
                    s.getOutputStream().write(0); // the first byte of a length, and no more
                    s.getOutputStream().flush();
                }
            }
            Thread.sleep(300); // let the server take all four
            Socket newcomer = connectFrom("127.0.0.4");
            open.add(newcomer);
            assertEquals(Header.NOERROR, exchange(newcomer).header().rcode(), "a new source gets in");
            Socket another = connectFrom("127.0.0.5");
            open.add(another);
            assertEquals(Header.NOERROR, exchange(another).header().rcode(), "and another one");
            int closedSlow = 0;
            for (Socket s : open.subList(0, 4)) {
                s.setSoTimeout(1000);
                try {
                    closedSlow += readOrEof(s) == -1 ? 1 : 0;
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // kept: its source holds no more than the newcomers now
                }
            }
            assertEquals(2, closedSlow, "one slow connection closed for each newcomer");
            assertEquals(Header.NOERROR, exchange(newcomer).header().rcode(), "the newcomer was not evicted");
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
