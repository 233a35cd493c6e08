package jmirage.resolver.interop;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import jmirage.core.Bytes;
import jmirage.dns.Edns;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Question;

/**
 * A plain blocking DNS client for the interop tests: one question to one server (a resolver or an
 * authority of the loopback hierarchy) over UDP, sent again every 2 s while unanswered, then over
 * TCP when the answer is truncated; the answer matched on source, ID and question. Empty when nothing
 * matching came within the timeout.
 */
final class Probe {

    private Probe() {}

    /**
     * The header bits and EDNS of a question as a client sends it.
     *
     * @param rd recursion desired
     * @param ad the AD bit in the query: "tell me if it validated" without DO (RFC 6840 5.7)
     * @param cd checking disabled (RFC 4035 3.2.2)
     * @param dnssecOk EDNS with DO (RFC 3225); EDNS is always sent, with a 1232-byte buffer
     */
    record Flags(boolean rd, boolean ad, boolean cd, boolean dnssecOk) {
        static final Flags NO_RECURSION = new Flags(false, false, false, false);
    }

    static Message query(Name name, int type, Flags flags) {
        int id = ThreadLocalRandom.current().nextInt(0x10000);
        Header h = new Header(id, false, Header.QUERY, false, false, flags.rd(), false, false, flags.ad(), flags.cd(), Header.NOERROR);
        return Message.query(id, name, type, Optional.of(new Edns(1232, 0, flags.dnssecOk(), 0, List.of()))).withHeader(h);
    }

    static Optional<Message> ask(InetSocketAddress server, Message query, Duration timeout) throws IOException {
        byte[] wire = MessageCodec.encode(query).toArray();
        Optional<Message> udp = udp(server, wire, query, timeout);
        if (udp.isPresent() && udp.get().header().tc()) {
            return tcp(server, wire, query, timeout);
        }
        return udp;
    }

    /** As a stub resolver does (RFC 1035 4.2.1), the query is sent again while no answer has come. */
    static final Duration RETRANSMIT = Duration.ofSeconds(2);

    private static Optional<Message> udp(InetSocketAddress server, byte[] wire, Message query, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(loopbackFor(server), 0))) {
            byte[] buffer = new byte[65535];
            long resend = System.nanoTime();
            while (true) {
                long now = System.nanoTime();
                if (now >= deadline) {
                    return Optional.empty();
                }
                if (now >= resend) {
                    socket.send(new DatagramPacket(wire, wire.length, server));
                    resend = now + RETRANSMIT.toNanos();
                }
                socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(Math.min(deadline, resend) - now).toMillis()));
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException nothingYet) {
                    continue;
                }
                Optional<Message> answer = matching(Arrays.copyOf(buffer, packet.getLength()), query);
                if (answer.isPresent() && packet.getSocketAddress().equals(server)) {
                    return answer;
                }
            }
        }
    }

    private static Optional<Message> tcp(InetSocketAddress server, byte[] wire, Message query, Duration timeout) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(server, (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {(byte) (wire.length >>> 8), (byte) wire.length});
            out.write(wire);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] answer = new byte[in.readUnsignedShort()];
            in.readFully(answer);
            return matching(answer, query);
        } catch (SocketTimeoutException nothing) {
            return Optional.empty();
        }
    }

    private static Optional<Message> matching(byte[] wire, Message query) {
        return switch (MessageCodec.decode(Bytes.of(wire))) {
            case jmirage.core.Result.Ok<Message, ?>(Message m) when m.header().qr() && m.header().id() == query.header().id()
                    && sameQuestion(m.questions(), query.questions()) -> Optional.of(m);
            default -> Optional.empty();
        };
    }

    private static boolean sameQuestion(List<Question> got, List<Question> asked) {
        return got.size() == asked.size() && (got.isEmpty() || got.getFirst().equals(asked.getFirst()));
    }

    /** A loopback server is asked from a loopback address, so a test never sends a packet off the machine. */
    private static java.net.InetAddress loopbackFor(InetSocketAddress server) {
        if (!server.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("interop tests talk to loopback addresses only, not " + server);
        }
        return java.net.InetAddress.getLoopbackAddress();
    }
}
