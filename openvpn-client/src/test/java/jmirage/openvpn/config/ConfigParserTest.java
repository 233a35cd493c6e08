package jmirage.openvpn.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import jmirage.core.Result;
import jmirage.openvpn.config.ClientConfig.ControlWrapping;
import jmirage.openvpn.config.ClientConfig.Credentials;
import jmirage.openvpn.config.ClientConfig.Material;
import jmirage.openvpn.config.ClientConfig.Remote;
import jmirage.openvpn.config.ClientConfig.Transport;
import jmirage.openvpn.data.AeadCipher;
import jmirage.openvpn.data.CompressionFraming;
import jmirage.openvpn.wire.KeyDirection;
import org.junit.jupiter.api.Test;

class ConfigParserTest {

    static final String BASE = "client\nca ca.crt\ncert c.crt\nkey c.key\nremote vpn.example\n";

    static ClientConfig ok(String text) {
        return ConfigParser.parse(text).orElseThrow().config();
    }

    static List<ConfigError> errors(String text) {
        return switch (ConfigParser.parse(text)) {
            case Result.Ok<ConfigParser.Parsed, List<ConfigError>> ok -> throw new AssertionError("accepted: " + ok);
            case Result.Err<ConfigParser.Parsed, List<ConfigError>>(List<ConfigError> e) -> e;
        };
    }

    @Test
    void parseLineQuotingAndBackslashesAsOpenVpn() {
        assertEquals(List.of("a b", "c\"d", "e f", "x\\y"), ConfigLexer.splitLine("\"a b\" c\\\"d 'e f' x\\\\y").orElseThrow());
        assertEquals(List.of("ca", "f"), ConfigLexer.splitLine("  ca f   # a comment").orElseThrow());
        assertEquals(List.of("a#b"), ConfigLexer.splitLine("a#b").orElseThrow(), "# inside a parameter is not a comment");
        assertEquals(List.of("c:\\x"), ConfigLexer.splitLine("'c:\\x'").orElseThrow(), "no escapes inside single quotes");
        assertEquals(List.of("a b"), ConfigLexer.splitLine("a\\ b").orElseThrow());
        assertTrue(ConfigLexer.splitLine("\"open").toString().contains("no closing quotation"));
        assertTrue(ConfigLexer.splitLine("c:\\x").toString().contains("bad backslash"));
        assertEquals(List.of(), ConfigLexer.splitLine("; all comment").orElseThrow());
    }

    @Test
    void remotesTakeTheirDefaultsFromPortAndProtoWhereverThoseStand() {
        ClientConfig c = ok("client\nca ca.crt\nauth-user-pass\nremote a\nremote b 443 tcp\nremote c 1000\nport 2000\nproto tcp-client\nremote-random\n");
        assertEquals(List.of(new Remote("a", 2000, Transport.TCP), new Remote("b", 443, Transport.TCP), new Remote("c", 1000, Transport.TCP)), c.remotes());
        assertTrue(c.remoteRandom());
        assertEquals(Optional.of(new Credentials.FromStore()), c.credentials());
    }

    @Test
    void inlineBlocksAndKeyDirection() {
        ClientConfig c = ok("client\nremote r\n<ca>\nCA TEXT\n</ca>\n<auth-user-pass>\nalice\nsecret pw\n</auth-user-pass>\nkey-direction 1\n<tls-auth>\nKEY\n</tls-auth>\n");
        assertEquals(new Material.Inline("CA TEXT\n"), c.ca());
        assertEquals(Optional.of(new Credentials.Inline("alice", "secret pw")), c.credentials());
        assertEquals(new ControlWrapping.TlsAuth(new Material.Inline("KEY\n"), KeyDirection.INVERSE), c.wrapping());
        assertEquals(new ControlWrapping.TlsAuth(new Material.File("ta.key"), KeyDirection.NORMAL), ok(BASE + "tls-auth ta.key 0\n").wrapping());
        assertEquals(new ControlWrapping.TlsAuth(new Material.File("ta.key"), KeyDirection.BIDIRECTIONAL), ok(BASE + "tls-auth ta.key\n").wrapping());
        assertEquals(new ControlWrapping.TlsCryptV2(new Material.File("v2.key")), ok(BASE + "tls-crypt-v2 v2.key\n").wrapping());
        assertEquals(new Material.Inline("X\n"), ok("client\nremote r\nauth-user-pass\n<ca>\nX\n   </ca> # read_inline_file\n").ca(),
                "a close tag after white space, with anything after it");
        assertTrue(errors(BASE + "ca [inline]\n").getFirst().describe().contains("without a <ca> block"));
        assertTrue(errors(BASE + "<ca>\nx\n").getFirst().describe().contains("has no </ca>"));
    }

    @Test
    void defaultsAreOpenVpn26s() {
        ClientConfig c = ok(BASE);
        assertEquals(List.of(new Remote("vpn.example", 1194, Transport.UDP)), c.remotes());
        assertEquals(ConfigParser.DEFAULT_DATA_CIPHERS, c.dataCiphers());
        assertEquals(Duration.ofHours(1), c.renegotiation());
        assertEquals(new ControlWrapping.None(), c.wrapping());
        assertEquals(CompressionFraming.NONE, c.compression());
        assertTrue(c.pull());
    }

    @Test
    void keepaliveIsPingAndPingRestart() {
        ClientConfig c = ok(BASE + "keepalive 10 60\nreneg-sec 120\n");
        assertEquals(Duration.ofSeconds(10), c.ping());
        assertEquals(Duration.ofSeconds(60), c.pingRestart());
        assertEquals(Duration.ofSeconds(120), c.renegotiation());
    }

    @Test
    void ciphersNegotiateOnlyAeads() {
        assertEquals(List.of(AeadCipher.CHACHA20_POLY1305), ok(BASE + "data-ciphers CHACHA20-POLY1305:AES-256-CBC\n").dataCiphers());
        assertEquals(List.of(AeadCipher.AES_128_GCM), ok(BASE + "data-ciphers aes-128-gcm\ncipher AES-256-CBC\n").dataCiphers());
        assertTrue(errors(BASE + "data-ciphers AES-256-CBC\ncipher AES-256-CBC\n").getFirst().describe()
                .startsWith("line 7: 'cipher': AES-256-CBC is not an AEAD cipher and data-ciphers names none"));
        assertTrue(errors(BASE + "data-ciphers BF-CBC\n").getFirst().describe().contains("no AEAD cipher"));
        assertEquals(List.of(AeadCipher.AES_128_GCM, AeadCipher.AES_256_GCM), ok(BASE + "data-ciphers AES-128-GCM\ncipher AES-256-GCM\n").dataCiphers(),
                "2.6 adds an AEAD --cipher to the data ciphers");
    }

    @Test
    void compressionOnlyAsFraming() {
        assertEquals(CompressionFraming.LZO_NO, ok(BASE + "comp-lzo no\n").compression());
        assertEquals(CompressionFraming.STUB_V2, ok(BASE + "compress stub-v2\n").compression());
        assertEquals(CompressionFraming.STUB, ok(BASE + "compress\n").compression());
        for (String asks : List.of("comp-lzo", "comp-lzo yes", "comp-lzo adaptive", "compress lz4-v2", "compress lzo")) {
            assertTrue(errors(BASE + asks + "\n").getFirst().describe().startsWith("line 6:"), asks);
        }
    }

    @Test
    void unsafeOrForeignConfigurationsAreRefusedWithTheirLine() {
        assertEquals("line 6: 'dev': a tap device (Ethernet bridging) is not supported; this client routes IP (dev tun)",
                errors(BASE + "dev tap0\n").getFirst().describe());
        assertTrue(errors(BASE + "secret s.key\n").getFirst().describe().startsWith("line 6: 'secret'"));
        assertTrue(errors(BASE + "proto tcp-server\n").getFirst().describe().contains("server configuration"));
        assertTrue(errors("tls-client\nremote r\ncert c\nkey k\n").getFirst().describe().contains("no 'ca'"));
        assertTrue(errors(BASE + "tls-auth a\ntls-crypt b\n").getFirst().describe().contains("only one of"));
        assertEquals("line 6: 'tls-crypt': takes 1 to 2 parameters, not 0", errors(BASE + "tls-crypt\n").getFirst().describe(),
                "found by ConfigParserFuzzTest");
        assertTrue(errors(BASE + "ping often\n").getFirst().describe().contains("'often' is not a number"));
        assertEquals("openvpn.conf:6: 'ping': 'often' is not a number",
                errors(BASE + "ping often\n").getFirst().problem("openvpn.conf").describe(), "as ./unikernel check prints it");
    }

    @Test
    void unsupportedDirectivesAreNamedOnceEach() {
        ConfigParser.Parsed p = ConfigParser.parse(BASE + "verb 3\nfragment 1300\nnobind\npersist-tun\n").orElseThrow();
        assertEquals(List.of(new ConfigWarning(6, "'verb': not supported by this client, ignored"),
                new ConfigWarning(7, "'fragment': not supported by this client, ignored")), p.warnings());
    }

    @Test
    void replayWindowsAboveSixtyFourAreNamedAndCut() {
        ConfigParser.Parsed p = ConfigParser.parse(BASE + "replay-window 512 60\n").orElseThrow();
        assertEquals(new ClientConfig.ReplayWindowSize(64, Duration.ofSeconds(60)), p.config().replayWindow());
        assertEquals(List.of(new ConfigWarning(6, "'replay-window': this client's replay window is 64 packets, not 512")), p.warnings());
    }

    @Test
    void connectionBlocksAreRemotes() {
        ClientConfig c = ok("client\nca c\nauth-user-pass\n<connection>\nremote a 1195\nproto tcp\n</connection>\n<connection>\nremote b\n</connection>\n");
        assertEquals(List.of(new Remote("a", 1195, Transport.TCP), new Remote("b", 1194, Transport.UDP)), c.remotes());
    }
}
