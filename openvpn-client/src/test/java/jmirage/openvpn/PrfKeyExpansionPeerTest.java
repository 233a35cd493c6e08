package jmirage.openvpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jmirage.core.Bytes;
import jmirage.openvpn.data.AeadCipher;
import jmirage.openvpn.keys.DataKeys;
import jmirage.openvpn.keys.KeyExpansion;
import jmirage.openvpn.keys.KeySource;
import jmirage.openvpn.wire.SessionId;
import jmirage.openvpn.wire.StaticKey;
import jmirage.testkit.Command;
import jmirage.testkit.Sh;
import jmirage.testkit.Started;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenVPN PRF key expansion against the real `openvpn` 2.6: a peer-to-peer TLS server and a
 * client with {@code --pull} (which does not offer peer-to-peer negotiation, so the server derives
 * the data keys with the PRF, not TLS-EKM) on a 127.27.x.y address. At --verb 9 the server logs the
 * key sources of both sides (ssl.c key_source2_print), both session ids (in its packet trace), the
 * two expanded keys' cipher parts (key2_print) and the nonces it encrypts with;
 * {@link KeyExpansion#openvpnPrf} must give the same keys and {@link DataKeys#forServer} the key and
 * implicit IV it sends with.
 */
@Tag("peer")
class PrfKeyExpansionPeerTest {

    @TempDir
    Path dir;

    @Test
    void ourPrfExpansionGivesTheServersDataKeys() throws Exception {
        Sh.requireCommand("openvpn", "openvpn");
        TestPki.create(dir);
        Sh.ok("openvpn", "--genkey", "secret", dir.resolve("ta.key").toString());
        String address = "127.27." + (1 + ThreadLocalRandom.current().nextInt(250)) + "." + (1 + ThreadLocalRandom.current().nextInt(250));
        String port = "21196";
        List<String> common = List.of("--dev", "null", "--proto", "udp", "--ca", "ca.crt", "--tls-crypt", "ta.key");
        String log;
        try (Started server = Command.of(concat(List.of("openvpn", "--local", address, "--lport", port, "--tls-server", "--cert", "server.crt",
                        "--key", "server.key", "--dh", "none", "--cipher", "AES-256-GCM", "--ping", "1", "--verb", "9"), common)).in(dir).start();
                Started client = Command.of(concat(List.of("openvpn", "--remote", address, port, "--nobind", "--tls-client", "--pull",
                        "--cert", "client.crt", "--key", "client.key", "--verb", "3"), common)).in(dir).start()) {
            server.awaitOutput("ENCRYPT IV:", Duration.ofSeconds(30)); // its first ping, once the keys are in place
            log = server.out() + server.err();
        }
        assertTrue(log.contains("TLS_export=0"), "the PRF, not TLS-EKM, made these keys");
        KeySource clientSource = new KeySource(Optional.of(hex(log, "Client pre_master")), hex(log, "Client random1"), hex(log, "Client random2"));
        KeySource serverSource = new KeySource(Optional.empty(), hex(log, "Server random1"), hex(log, "Server random2"));
        SessionId clientSession = session(log, "READ", "P_CONTROL_HARD_RESET_CLIENT_V2");
        SessionId serverSession = session(log, "WRITE", "P_CONTROL_HARD_RESET_SERVER_V2");

        StaticKey material = KeyExpansion.openvpnPrf(clientSource, serverSource, clientSession, serverSession);
        // crypto.c key2_print names keys[0] "Master Encrypt" and keys[1] "Master Decrypt", whatever the side.
        Bytes key0 = hex(log, "Master Encrypt \\(cipher, AES-256-GCM, 256 bits\\)");
        Bytes key1 = hex(log, "Master Decrypt \\(cipher, AES-256-GCM, 256 bits\\)");
        assertEquals(key0, material.cipher(0).slice(0, 32));
        assertEquals(key1, material.cipher(1).slice(0, 32));
        // The server sends with key 1 (init_key_contexts: key direction inverse), its nonce's tail the implicit IV.
        DataKeys keys = DataKeys.forServer(AeadCipher.AES_256_GCM, material);
        assertEquals(key1, keys.send().key());
        assertEquals(key0, keys.receive().key());
        Bytes nonce = hex(log, "ENCRYPT IV");
        assertEquals(nonce.slice(4, 12), keys.send().implicitIv(), "the nonce is the packet id, then the implicit IV");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    /** The first hex value logged after {@code label: } (groups of 8 digits separated by spaces). */
    private static Bytes hex(String log, String label) {
        Matcher m = Pattern.compile(label + ": ((?:[0-9a-f]{8} ?)+)").matcher(log);
        assertTrue(m.find(), "no '" + label + "' in the server's log");
        return Bytes.fromHex(m.group(1).replace(" ", ""));
    }

    /** The session id in the server's packet trace line for {@code opcode} read or written. */
    private static SessionId session(String log, String direction, String opcode) {
        Matcher m = Pattern.compile(direction + " \\[\\d+\\] [^\\n]*: " + opcode + " kid=0 sid=([0-9a-f]{8}) ([0-9a-f]{8})").matcher(log);
        assertTrue(m.find(), "no " + direction + " of " + opcode + " in the server's log");
        return SessionId.of(Bytes.fromHex(m.group(1) + m.group(2)).toArray(), 0);
    }
}
