package jmirage.authoritative;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.testkit.Command;
import jmirage.testkit.Sh;
import jmirage.testkit.Started;

/**
 * NSD and Knot as daemons the tests start themselves: config and files under a temp directory,
 * listening on loopback on a given port, stopped with their children (never by name) on close. And a
 * plain blocking DNS client for the tests to ask them and us the same questions.
 */
public final class PeerServers {

    private PeerServers() {}

    /** A running daemon. */
    public record Daemon(String name, Started process, int port, Path dir) implements AutoCloseable {
        @Override
        public void close() {
            process.stop();
        }

        /** What it has printed so far, stdout then stderr. */
        public String output() {
            return process.out() + process.err();
        }
    }

    /** NSD serving {@code zoneText} as {@code zoneName} on 127.0.0.1:port, RRL off. */
    public static Daemon nsd(Path dir, String zoneName, String zoneText, int port) throws Exception {
        return nsd(dir, java.util.Map.of(zoneName, zoneText), port);
    }

    /** NSD serving each zone (name without the final dot to master-file text) on 127.0.0.1:port, RRL off. */
    public static Daemon nsd(Path dir, java.util.Map<String, String> zones, int port) throws Exception {
        Files.createDirectories(dir);
        StringBuilder zoneConf = new StringBuilder();
        for (var z : zones.entrySet()) {
            Files.writeString(dir.resolve(z.getKey()), z.getValue());
            zoneConf.append("zone:\n  name: ").append(z.getKey()).append("\n  zonefile: \"").append(dir).append('/')
                    .append(z.getKey()).append("\"\n");
        }
        Daemon d = startNsd(dir, port, zoneConf.toString());
        for (String zoneName : zones.keySet()) {
            awaitAnswer(d, zoneName);
        }
        return d;
    }

    /**
     * NSD on 127.0.0.1:port, in the foreground, with its files (zones, state, transfers, log) under
     * {@code dir} and RRL off; {@code keysAndZones} holds the {@code key:} and {@code zone:} clauses
     * of its nsd.conf. Returns as soon as it is started: the caller waits for what it needs.
     */
    public static Daemon startNsd(Path dir, int port, String keysAndZones) throws Exception {
        Sh.requireCommand("nsd", "nsd");
        Files.createDirectories(dir);
        String conf = """
                server:
                  ip-address: 127.0.0.1
                  port: %d
                  zonesdir: "%s"
                  database: ""
                  pidfile: "%s/nsd.pid"
                  xfrdfile: "%s/xfrd.state"
                  zonelistfile: "%s/zone.list"
                  xfrdir: "%s"
                  username: ""
                  chroot: ""
                  logfile: "%s/nsd.log"
                  rrl-ratelimit: 0
                  server-count: 1
                  verbosity: 2
                remote-control:
                  control-enable: no
                """.formatted(port, dir, dir, dir, dir, dir, dir) + keysAndZones;
        Files.writeString(dir.resolve("nsd.conf"), conf);
        Started p = Command.of("nsd", "-d", "-c", dir.resolve("nsd.conf").toString()).start();
        return new Daemon("nsd", p, port, dir);
    }

    /** Knot serving {@code zoneText} as {@code zoneName} on 127.0.0.1:port. */
    public static Daemon knot(Path dir, String zoneName, String zoneText, int port) throws Exception {
        return knot(dir, java.util.Map.of(zoneName, zoneText), port);
    }

    /** Knot serving each zone (name without the final dot to master-file text) on 127.0.0.1:port. */
    public static Daemon knot(Path dir, java.util.Map<String, String> zones, int port) throws Exception {
        Sh.requireCommand("knotd", "knot");
        Files.createDirectories(dir.resolve("db"));
        StringBuilder zoneConf = new StringBuilder();
        for (var z : zones.entrySet()) {
            Files.writeString(dir.resolve(z.getKey() + ".zone"), z.getValue());
            zoneConf.append("  - domain: ").append(z.getKey()).append("\n    file: \"").append(dir).append('/')
                    .append(z.getKey()).append(".zone\"\n    journal-content: none\n");
        }
        String conf = """
                server:
                  rundir: "%s"
                  listen: 127.0.0.1@%d
                  udp-workers: 1
                  tcp-workers: 1
                  background-workers: 1
                database:
                  storage: "%s/db"
                log:
                  - target: stderr
                    any: warning
                zone:
                """.formatted(dir, port, dir) + zoneConf;
        Files.writeString(dir.resolve("knot.conf"), conf);
        Started p = Command.of("knotd", "-c", dir.resolve("knot.conf").toString()).start();
        Daemon d = new Daemon("knot", p, port, dir);
        for (String zoneName : zones.keySet()) {
            awaitAnswer(d, zoneName);
        }
        return d;
    }

    /**
     * dig's short answer (the addresses, one a line) for the A records of {@code name} from
     * 127.0.0.1:port, asked once without recursion; empty while nothing answers there.
     */
    public static String digA(int port, String name) {
        try {
            return Command.of("dig", "@127.0.0.1", "-p", String.valueOf(port), "+short", "+norec", "+time=1", "+tries=1",
                    name, "A").run().output().trim();
        } catch (Exception e) {
            return "";
        }
    }

    private static void awaitAnswer(Daemon d, String zoneName) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Message soa = Message.query(1, jmirage.dns.Name.of(zoneName + "."), jmirage.dns.Type.SOA, java.util.Optional.empty());
        while (System.nanoTime() < deadline) {
            if (!d.process().isAlive()) {
                throw new IllegalStateException(d.name() + " exited: " + d.output());
            }
            byte[] answer = udp(d.port(), MessageCodec.encode(soa).toArray(), 200);
            if (answer != null && (answer[3] & 0x0f) == 0 && (answer[2] & 0x04) != 0) {
                return;
            }
            Thread.sleep(100);
        }
        d.close();
        throw new IllegalStateException(d.name() + " did not answer for " + zoneName + " within 15 s: " + d.output());
    }

    /** One UDP exchange with 127.0.0.1:port; null on timeout. */
    public static byte[] udp(int port, byte[] query, int timeoutMillis) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(timeoutMillis);
            s.send(new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), port));
            byte[] buf = new byte[65535];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            return Arrays.copyOf(buf, p.getLength());
        }
    }

    /** Several queries over one TCP connection, answers in order (RFC 7766). */
    public static List<byte[]> tcp(int port, List<byte[]> queries, int timeoutMillis) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            var out = s.getOutputStream();
            for (byte[] q : queries) {
                out.write(new byte[] {(byte) (q.length >>> 8), (byte) q.length});
                out.write(q);
            }
            out.flush();
            var in = new java.io.DataInputStream(s.getInputStream());
            java.util.ArrayList<byte[]> answers = new java.util.ArrayList<>();
            for (int i = 0; i < queries.size(); i++) {
                int len = in.readUnsignedShort();
                byte[] a = new byte[len];
                in.readFully(a);
                answers.add(a);
            }
            return answers;
        }
    }

    public static Message decode(byte[] wire) {
        return MessageCodec.decode(Bytes.of(wire)).orElseThrow(e -> new IllegalStateException("undecodable: " + e));
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
