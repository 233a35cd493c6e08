package jmirage.openvpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jmirage.core.Bytes;
import jmirage.openvpn.control.ControlReplay;
import jmirage.openvpn.control.Reliability;
import jmirage.openvpn.data.AeadCipher;
import jmirage.openvpn.data.DataChannel;
import jmirage.openvpn.data.DirectionKeys;
import jmirage.openvpn.data.Ping;
import jmirage.openvpn.keys.PushReply;
import jmirage.openvpn.wire.ControlPacket;
import jmirage.openvpn.wire.ControlWrap;
import jmirage.openvpn.wire.DataPacket;
import jmirage.openvpn.wire.Digest;
import jmirage.openvpn.wire.EarlyNegotiation;
import jmirage.openvpn.wire.KeyDirection;
import jmirage.openvpn.wire.Opcode;
import jmirage.openvpn.wire.ReplayStamp;
import jmirage.openvpn.wire.StaticKey;
import jmirage.openvpn.wire.TcpFraming;
import jmirage.openvpn.wire.TlsCryptV2ClientKey;
import jmirage.testkit.Command;
import jmirage.testkit.NetNamespace;
import jmirage.testkit.Sh;
import jmirage.testkit.Started;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The codecs against the real peer: an `openvpn` 2.6 server ({@code --mode server}, a tun device)
 * and client ({@code --client}, {@code --dev null}) talk through a python3 relay that records every
 * datagram or stream read, all three on a loopback address inside a network namespace the test
 * creates. Every recorded packet must decode with our codecs (control packets unwrapped with the key
 * `openvpn --genkey` wrote), the control messages must reassemble through our reliability core into
 * the TLS stream, every data packet must decrypt, with the keys and implicit IVs OpenVPN logs at
 * --verb 9, to the ping or to an IP packet from the server's tun device, and the PUSH_REPLY the client logs must read with our parser.
 */
@Tag("peer")
@Tag("root")
class RecordedExchangeTest {

    @TempDir
    Path dir;

    private enum Wrapping { TLS_AUTH, TLS_CRYPT, TLS_CRYPT_V2 }

    private record Recorded(boolean fromClient, Bytes packet) {}

    @Test
    void tlsCryptOverUdp() throws Exception {
        exchange(Wrapping.TLS_CRYPT, "udp");
    }

    @Test
    void tlsCryptV2OverUdp() throws Exception {
        exchange(Wrapping.TLS_CRYPT_V2, "udp");
    }

    @Test
    void tlsAuthOverTcp() throws Exception {
        exchange(Wrapping.TLS_AUTH, "tcp");
    }

    private void exchange(Wrapping wrapping, String transport) throws Exception {
        Sh.requireCommand("openvpn", "openvpn");
        Sh.requireCommand("openssl", "openssl");
        Sh.requireCommand("python3", "python3");
        Sh.requireRootNetworking();
        TestPki.create(dir);
        Sh.ok("openvpn", "--genkey", "secret", dir.resolve("ta.key").toString());
        Sh.ok("openvpn", "--genkey", "tls-crypt-v2-server", dir.resolve("v2-server.key").toString());
        Sh.ok("openvpn", "--tls-crypt-v2", dir.resolve("v2-server.key").toString(), "--genkey", "tls-crypt-v2-client", dir.resolve("v2-client.key").toString());
        StaticKey ta = StaticKey.parse(Files.readString(dir.resolve("ta.key"))).orElseThrow();
        assertEquals(Files.readString(dir.resolve("ta.key")), ta.format(), "our static key file is byte for byte openvpn's");
        TlsCryptV2ClientKey v2 = TlsCryptV2ClientKey.parse(Files.readString(dir.resolve("v2-client.key"))).orElseThrow();

        List<String> serverWrap = switch (wrapping) {
            case TLS_AUTH -> List.of("--tls-auth", "ta.key", "0", "--auth", "SHA256");
            case TLS_CRYPT -> List.of("--tls-crypt", "ta.key");
            case TLS_CRYPT_V2 -> List.of("--tls-crypt-v2", "v2-server.key");
        };
        List<String> clientWrap = switch (wrapping) {
            case TLS_AUTH -> List.of("--tls-auth", "ta.key", "1", "--auth", "SHA256");
            case TLS_CRYPT -> List.of("--tls-crypt", "ta.key");
            case TLS_CRYPT_V2 -> List.of("--tls-crypt-v2", "v2-client.key");
        };
        // What the client sends, unwrapped as the server does, and the reverse.
        ControlWrap fromClient = switch (wrapping) {
            case TLS_AUTH -> ControlWrap.TlsAuth.of(ta, KeyDirection.NORMAL, Digest.SHA256);
            case TLS_CRYPT -> ControlWrap.TlsCrypt.of(ta, KeyDirection.NORMAL);
            case TLS_CRYPT_V2 -> ControlWrap.TlsCrypt.of(v2.key(), KeyDirection.NORMAL);
        };
        ControlWrap fromServer = switch (wrapping) {
            case TLS_AUTH -> ControlWrap.TlsAuth.of(ta, KeyDirection.INVERSE, Digest.SHA256);
            case TLS_CRYPT -> ControlWrap.TlsCrypt.client(ta);
            case TLS_CRYPT_V2 -> ControlWrap.TlsCrypt.client(v2);
        };

        String address = "127.27." + NetNamespace.randomSubnet() + "." + NetNamespace.randomSubnet();
        int subnet = NetNamespace.randomSubnet();
        int relayPort = 21194;
        int serverPort = 21195;
        Path relay = dir.resolve("relay.py");
        try (InputStream in = getClass().getResourceAsStream("relay.py")) {
            Files.write(relay, in.readAllBytes());
        }
        Path record = dir.resolve("record.txt");
        // ip netns exec looks programs up on the PATH, which may lack /usr/sbin
        String openvpn = Sh.installed("openvpn").orElseThrow().toString();
        List<String> common = List.of("--ca", "ca.crt", "--verb", "9", "--data-ciphers", "AES-256-GCM");
        String clientLog;
        NetNamespace ns = new NetNamespace("ovpnrec" + NetNamespace.uniqueSuffix()).create();
        try {
            ns.ip("link", "set", "lo", "up");
            ns.ip("addr", "add", address + "/32", "dev", "lo");
            try (Started relayProcess = Command.of(ns.exec("python3", relay.toString(), transport, address, "" + relayPort, address, "" + serverPort,
                    record.toString())).start()) {
                relayProcess.awaitOutput("ready", Duration.ofSeconds(10));
                List<String> server = new ArrayList<>(List.of(openvpn, "--mode", "server", "--tls-server", "--dev", "tun", "--topology", "subnet",
                        "--server", "10.27." + subnet + ".0", "255.255.255.0", "--keepalive", "1", "10",
                        "--proto", transport.equals("tcp") ? "tcp-server" : "udp", "--local", address, "--lport", "" + serverPort,
                        "--cert", "server.crt", "--key", "server.key", "--dh", "none"));
                server.addAll(common);
                server.addAll(serverWrap);
                // --dev null with no ifconfig or routes executed: the pushed ones are only logged
                List<String> client = new ArrayList<>(List.of(openvpn, "--client", "--dev", "null", "--ifconfig-noexec", "--route-noexec",
                        "--proto", transport.equals("tcp") ? "tcp-client" : "udp", "--remote", address, "" + relayPort, "--nobind",
                        "--cert", "client.crt", "--key", "client.key", "--remote-cert-tls", "server"));
                client.addAll(common);
                client.addAll(clientWrap);
                try (Started serverProcess = Command.of(ns.exec(server)).in(dir).start()) {
                    serverProcess.awaitOutput("Initialization Sequence Completed", Duration.ofSeconds(30)); // listening
                    try (Started clientProcess = Command.of(ns.exec(client)).in(dir).start()) {
                        clientProcess.awaitOutput("Initialization Sequence Completed", Duration.ofSeconds(30));
                        Thread.sleep(2500); // two pings each way, at the pushed ping 1
                        clientLog = clientProcess.out() + clientProcess.err();
                    }
                }
            }
        } finally {
            ns.delete();
        }
        List<Recorded> recorded = read(record, transport);

        // Control packets: each decodes and authenticates with our unwrapping, in both directions.
        List<ControlWrap.Unwrapped> clientControl = new ArrayList<>();
        List<ControlWrap.Unwrapped> serverControl = new ArrayList<>();
        List<Recorded> data = new ArrayList<>();
        Optional<Bytes> firstClientPacket = Optional.empty();
        for (Recorded r : recorded) {
            if (DataPacket.isData(r.packet())) {
                data.add(r);
                continue;
            }
            ControlWrap.Unwrapped u = (r.fromClient() ? fromClient : fromServer).unwrap(r.packet()).orElseThrow();
            (r.fromClient() ? clientControl : serverControl).add(u);
            if (r.fromClient() && firstClientPacket.isEmpty()) {
                firstClientPacket = Optional.of(r.packet());
            }
        }
        ControlPacket hello = clientControl.getFirst().packet();
        assertEquals(wrapping == Wrapping.TLS_CRYPT_V2 ? Opcode.CONTROL_HARD_RESET_CLIENT_V3 : Opcode.CONTROL_HARD_RESET_CLIENT_V2, hello.opcode());
        assertEquals(0, ((ControlPacket.Message) hello).messageId());
        ControlPacket answer = serverControl.getFirst().packet();
        assertEquals(Opcode.CONTROL_HARD_RESET_SERVER_V2, answer.opcode());
        assertEquals(List.of(0L), answer.acks().ids(), "the server acknowledges the client's reset");
        assertEquals(Optional.of(hello.session()), answer.acks().remoteSession());
        for (List<ControlWrap.Unwrapped> side : List.of(clientControl, serverControl)) {
            ControlReplay replay = ControlReplay.EMPTY;
            for (ControlWrap.Unwrapped u : side) {
                ReplayStamp stamp = u.stamp().orElseThrow();
                assertEquals(ControlReplay.Verdict.FRESH, replay.check(stamp), "each replay stamp is new");
                replay = replay.accept(stamp);
                assertEquals(ControlReplay.Verdict.REPLAYED, replay.check(stamp), "and refused the second time");
            }
        }
        if (wrapping == Wrapping.TLS_CRYPT_V2) {
            // ssl.c tls_session_init: a tls-crypt-v2 client starts its replay ids at EARLY_NEG_START to say it negotiates early.
            assertEquals(EarlyNegotiation.START, clientControl.getFirst().stamp().orElseThrow().packetId() & 0xff000000L);
            Bytes first = firstClientPacket.orElseThrow();
            assertEquals(v2.wrappedKey(), first.slice(first.size() - v2.wrappedKey().size(), first.size()), "the client appends WKc");
            // mudp.c: over UDP the server answers a client that negotiates early without keeping state (an HMAC cookie as
            // its session id) and asks for WKc again, which the client sends in a P_CONTROL_WKC_V1.
            EarlyNegotiation early = EarlyNegotiation.parse(((ControlPacket.Message) answer).payload()).orElseThrow();
            assertTrue(early.resendWrappedKey(), "the server asks for WKc again");
            assertTrue(clientControl.stream().anyMatch(u -> u.packet().opcode() == Opcode.CONTROL_WKC_V1), "and the client resends it");
        }

        // Reliability: the messages each side sent, through our receiving core, are the TLS stream.
        for (List<ControlWrap.Unwrapped> side : List.of(clientControl, serverControl)) {
            Reliability receiver = Reliability.initial(Reliability.Settings.DEFAULT);
            List<Reliability.Message> delivered = new ArrayList<>();
            Instant now = Instant.EPOCH;
            for (ControlWrap.Unwrapped u : side) {
                Optional<Reliability.Received> message = u.packet() instanceof ControlPacket.Message m
                        ? Optional.of(new Reliability.Received(m.messageId(), new Reliability.Message(m.opcode(), m.payload()))) : Optional.empty();
                Reliability.Step step = receiver.receive(now, List.of(), message);
                receiver = step.next();
                delivered.addAll(step.delivered());
            }
            assertTrue(delivered.size() >= 3, "a reset and TLS records: " + delivered.size());
            Bytes firstTls = delivered.get(1).payload();
            assertEquals(0x16, firstTls.getUnsigned(0), "the first TLS record is a handshake");
            assertEquals(0x03, firstTls.getUnsigned(1), "of TLS version 3.x");
        }

        // The PUSH_REPLY the client logs (push.c: 'PUSH: Received control message: ...') reads with our parser.
        Matcher push = Pattern.compile("PUSH: Received control message: '([^']*)'").matcher(clientLog);
        assertTrue(push.find(), "the client logged the push");
        PushReply reply = PushReply.parse(push.group(1)).orElseThrow();
        assertEquals("10.27." + subnet + ".2", reply.ifconfig().orElseThrow().local().getHostAddress());
        assertEquals("255.255.255.0", reply.ifconfig().orElseThrow().netmaskOrRemote().getHostAddress());
        assertEquals(Optional.of("subnet"), reply.topology());
        assertEquals(Optional.of(Duration.ofSeconds(1)), reply.ping());
        assertEquals(Optional.of(Duration.ofSeconds(10)), reply.pingRestart());
        assertEquals(Optional.of(AeadCipher.AES_256_GCM), reply.cipher());
        assertEquals(OptionalInt.of(0), reply.peerId());
        assertTrue(reply.tlsEkm(), "2.6 derives the data keys with TLS-EKM: " + push.group(1));

        // Data: every packet decrypts, with the keys OpenVPN logged, to the ping.
        // key2_print logs keys[0] as "Master Encrypt" and keys[1] as "Master Decrypt": a client sends with key 0.
        DirectionKeys clientSends = keys(clientLog, "Encrypt", "ENCRYPT");
        DirectionKeys clientReceives = keys(clientLog, "Decrypt", "DECRYPT");
        assertFalse(data.isEmpty(), "pings were exchanged");
        DataChannel atClient = null;
        DataChannel atServer = null;
        int[] pings = new int[2];
        for (Recorded r : data) {
            DataPacket packet = DataPacket.decode(r.packet()).orElseThrow();
            assertEquals(Opcode.DATA_V2, packet.opcode(), "2.6 peers use P_DATA_V2");
            if (atClient == null) {
                atClient = new DataChannel(AeadCipher.AES_256_GCM, packet.keyId(), packet.peerId(), clientSends, clientReceives);
                atServer = new DataChannel(AeadCipher.AES_256_GCM, packet.keyId(), packet.peerId(), clientReceives, clientSends);
            }
            Bytes plain = (r.fromClient() ? atServer : atClient).decrypt(packet).orElseThrow();
            if (Ping.isPing(plain)) {
                pings[r.fromClient() ? 0 : 1]++;
            } else {
                // the server's tun device speaks too (IPv6 router solicitations and the like)
                assertTrue(plain.getUnsigned(0) >> 4 == 4 || plain.getUnsigned(0) >> 4 == 6, "a ping or an IP packet: " + plain);
            }
        }
        assertTrue(pings[0] > 0 && pings[1] > 0, "pings both ways: " + pings[0] + " and " + pings[1]);
        // And ours decrypt at the other end: the client's channel encrypts what the server's reads.
        DataPacket ours = DataPacket.decode(atClient.encrypt(Ping.MAGIC).orElseThrow()).orElseThrow();
        DataChannel server = new DataChannel(AeadCipher.AES_256_GCM, ours.keyId(), ours.peerId(), clientReceives, clientSends);
        assertEquals(Ping.MAGIC, server.decrypt(ours).orElseThrow());
    }

    private static final Pattern KEY = Pattern.compile("Master (Encrypt|Decrypt) \\(cipher, AES-256-GCM, 256 bits\\): ([0-9a-f ]+)");
    private static final Pattern IV = Pattern.compile("(ENCRYPT|DECRYPT) IV: ([0-9a-f ]+)");

    /** The cipher key and implicit IV of one direction, from OpenVPN's --verb 9 log (crypto.c key2_print, openvpn_encrypt_aead). */
    private static DirectionKeys keys(String log, String master, String iv) {
        Bytes key = null;
        Bytes implicit = null;
        Matcher k = KEY.matcher(log);
        while (k.find() && key == null) {
            if (k.group(1).equals(master)) {
                key = Bytes.fromHex(k.group(2).replace(" ", "").strip());
            }
        }
        Matcher v = IV.matcher(log);
        while (v.find() && implicit == null) {
            if (v.group(1).equals(iv)) {
                String hex = v.group(2).replace(" ", "").strip();
                implicit = Bytes.fromHex(hex.substring(8)); // the packet id, then the implicit IV
            }
        }
        if (key == null || implicit == null) {
            throw new AssertionError("no " + master + " key or " + iv + " IV in the client's log");
        }
        return new DirectionKeys(key, implicit);
    }

    private static List<Recorded> read(Path record, String transport) throws IOException {
        List<Recorded> out = new ArrayList<>();
        TcpFraming fromClient = TcpFraming.EMPTY;
        TcpFraming fromServer = TcpFraming.EMPTY;
        for (String line : Files.readAllLines(record)) {
            boolean client = line.startsWith("c ");
            Bytes bytes = Bytes.fromHex(line.substring(2).strip());
            if (transport.equals("udp")) {
                out.add(new Recorded(client, bytes));
                continue;
            }
            TcpFraming.Fed fed = (client ? fromClient : fromServer).feed(bytes).orElseThrow();
            fed.packets().forEach(p -> out.add(new Recorded(client, p)));
            if (client) {
                fromClient = fed.next();
            } else {
                fromServer = fed.next();
            }
        }
        return out;
    }

}
