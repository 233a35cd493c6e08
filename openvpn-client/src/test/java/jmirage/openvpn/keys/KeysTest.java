package jmirage.openvpn.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.openvpn.data.AeadCipher;
import jmirage.openvpn.wire.SessionId;
import jmirage.openvpn.wire.StaticKey;
import org.junit.jupiter.api.Test;

class KeysTest {

    /**
     * A known answer from OpenSSL's implementation of the same PRF:
     * {@code openssl kdf -keylen 48 -kdfopt digest:MD5-SHA1 -kdfopt hexsecret:000102...2f
     * -kdfopt hexseed:<"OpenVPN master secret" in hex>0101...01 TLS1-PRF}.
     */
    @Test
    void tls10PrfMatchesOpenSsl() {
        Bytes secret = Bytes.fromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f");
        Bytes seed = Bytes.utf8("OpenVPN master secret").concat(Bytes.fromHex("01".repeat(32)));
        assertEquals("6d060c2998ac7fddb611a0bc4798f54573df3bbf6c17ccec64cdb50d4c628aed85e3196f6277c0d446d16343745f75bd",
                Prf.tls10(secret, seed, 48).hex());
        // An odd-length secret (its halves share the middle byte) and an output that is not a multiple of either hash:
        // openssl kdf -keylen 100 -kdfopt digest:MD5-SHA1 -kdfopt hexsecret:0a0b...192a -kdfopt hexseed:<"OpenVPN key expansion">ffee TLS1-PRF
        assertEquals("33463ec954716677a27078fc28dbdb4f9125d6259699af78bdabe813e7599ccb3d7f33ee0a12e922a682e2fa7744f5be5b9340af54c1be27a3"
                        + "85c23b03d28a8d773f8e959419fcfb85ca24a946a1e1b26eed44e61450b3d19777925905e0b6a1c7a834bf",
                Prf.tls10(Bytes.fromHex("0a0b0c0d0e0f101112131415161718192a"), Bytes.utf8("OpenVPN key expansion").concat(Bytes.fromHex("ffee")), 100).hex());
    }

    @Test
    void keyExpansionAndDataKeysFollowSslC() {
        KeySource client = KeySource.client(Bytes.adopt(new byte[112]));
        KeySource server = new KeySource(Optional.empty(), Bytes.fromHex("02".repeat(32)), Bytes.fromHex("03".repeat(32)));
        StaticKey material = KeyExpansion.openvpnPrf(client, server, new SessionId(1), new SessionId(2));
        Bytes master = Prf.tls10(client.preMaster().orElseThrow(), Bytes.utf8("OpenVPN master secret").concat(client.random1()).concat(server.random1()), 48);
        Bytes seed = Bytes.utf8("OpenVPN key expansion").concat(client.random2()).concat(server.random2())
                .concat(Bytes.fromHex("0000000000000001" + "0000000000000002"));
        assertEquals(Prf.tls10(master, seed, 256), material.bytes());
        DataKeys c = DataKeys.forClient(AeadCipher.AES_128_GCM, material);
        DataKeys s = DataKeys.forServer(AeadCipher.AES_128_GCM, material);
        assertEquals(material.bytes().slice(0, 16), c.send().key(), "the client sends with key 0's cipher part");
        assertEquals(material.bytes().slice(64, 72), c.send().implicitIv(), "and key 0's HMAC part's first 8 bytes");
        assertEquals(material.bytes().slice(128, 144), c.receive().key());
        assertEquals(c.send(), s.receive());
        assertEquals(c.receive(), s.send());
    }

    @Test
    void keyMethod2ClientMessageAsSslCWritesIt() {
        KeySource source = KeySource.client(Bytes.adopt(new byte[112]));
        Bytes m = new KeyMethod2.ClientMessage(source, "V4", Optional.of("u"), Optional.of("pw"), "IV_PROTO=14\n").encode();
        Bytes expected = Bytes.fromHex("0000000002").concat(source.encode())
                .concat(Bytes.fromHex("0003")).concat(Bytes.utf8("V4")).concat(Bytes.of((byte) 0))
                .concat(Bytes.fromHex("0002")).concat(Bytes.utf8("u")).concat(Bytes.of((byte) 0))
                .concat(Bytes.fromHex("0003")).concat(Bytes.utf8("pw")).concat(Bytes.of((byte) 0))
                .concat(Bytes.fromHex("000d")).concat(Bytes.utf8("IV_PROTO=14\n")).concat(Bytes.of((byte) 0));
        assertEquals(expected, m);
        Bytes noCredentials = new KeyMethod2.ClientMessage(source, "V4", Optional.empty(), Optional.empty(), "").encode();
        assertTrue(noCredentials.hex().endsWith("00000000" + "000100"), "two empty strings, then an empty peer info");
    }

    @Test
    void theOptionsStringNamesTheTransportAsOpenVpnDoes() {
        assertEquals("V4,dev-type tun,tun-mtu 1500,proto UDPv4,key-method 2,tls-client", KeyMethod2.clientOptions(false));
        assertTrue(KeyMethod2.clientOptions(true).contains(",proto TCPv4_CLIENT,"));
    }

    @Test
    void keyMethod2ServerMessageParses() {
        Bytes randoms = Bytes.fromHex("aa".repeat(32) + "bb".repeat(32));
        Bytes m = Bytes.fromHex("0000000002").concat(randoms).concat(KeyMethod2.string("V4,tls-server")).concat(Bytes.fromHex("00000000"))
                .concat(KeyMethod2.string("IV_PROTO=2\n"));
        KeyMethod2.ServerMessage s = KeyMethod2.parseServer(m).orElseThrow();
        assertEquals("V4,tls-server", s.options());
        assertEquals("IV_PROTO=2\n", s.peerInfo());
        assertEquals(Bytes.fromHex("bb".repeat(32)), s.source().random2());
        assertTrue(KeyMethod2.parseServer(Bytes.fromHex("0000000001").concat(randoms)).toString().contains("key method 1"));
    }

    @Test
    void peerInfoAnnouncesCiphersAndProtocolBits() {
        String info = PeerInfo.client(List.of(AeadCipher.AES_256_GCM, AeadCipher.CHACHA20_POLY1305));
        assertTrue(info.contains("IV_CIPHERS=AES-256-GCM:CHACHA20-POLY1305\n"));
        assertTrue(info.contains("IV_PROTO=14\n"), "DATA_V2, REQUEST_PUSH and TLS_KEY_EXPORT: " + info);
    }

    @Test
    void pushReplyIntoTypedOptions() throws Exception {
        PushReply p = PushReply.parse("PUSH_REPLY,route 10.9.0.0 255.255.0.0,route-gateway 10.8.0.1,topology subnet,ping 10,ping-restart 60,"
                + "ifconfig 10.8.0.2 255.255.255.0,redirect-gateway def1 bypass-dhcp,dhcp-option DNS 10.8.0.1,dhcp-option DOMAIN vpn.example,"
                + "peer-id 3,cipher AES-256-GCM,key-derivation tls-ekm,protocol-flags cc-exit tls-ekm,block-ipv6\0").orElseThrow();
        assertEquals(Optional.of(new PushReply.Ifconfig((java.net.Inet4Address) InetAddress.getByName("10.8.0.2"),
                (java.net.Inet4Address) InetAddress.getByName("255.255.255.0"))), p.ifconfig());
        assertEquals(1, p.routes().size());
        assertEquals(Optional.of(List.of("def1", "bypass-dhcp")), p.redirectGateway());
        assertEquals(List.of(InetAddress.getByName("10.8.0.1")), p.dns());
        assertEquals(List.of("vpn.example"), p.domains());
        assertEquals(OptionalInt.of(3), p.peerId());
        assertEquals(Optional.of(Duration.ofSeconds(60)), p.pingRestart());
        assertEquals(Optional.of(AeadCipher.AES_256_GCM), p.cipher());
        assertTrue(p.tlsEkm());
        assertEquals(List.of("protocol-flags cc-exit", "block-ipv6"), p.ignored());
        assertTrue(PushReply.parse("PUSH_REPLY,route 10.0.0.0,push-continuation 2").orElseThrow().moreToCome());
        assertTrue(PushReply.parse("PUSH_REPLY,cipher BF-CBC") instanceof Result.Err<PushReply, PushReply.PushError>(var e)
                && e.describe().contains("not an AEAD cipher"));
        assertTrue(PushReply.parse("PUSH_REPLY,ifconfig 10.8.0.300 255.255.255.0").isOk() == false);
        assertTrue(PushReply.parse("AUTH_FAILED").toString().contains("not a PUSH_REPLY"));
        assertEquals(Optional.of(jmirage.openvpn.data.CompressionFraming.LZO_NO), PushReply.parse("PUSH_REPLY,comp-lzo no").orElseThrow().compression());
        assertEquals(Optional.of(jmirage.openvpn.data.CompressionFraming.STUB_V2), PushReply.parse("PUSH_REPLY,compress stub-v2").orElseThrow().compression());
        assertTrue(PushReply.parse("PUSH_REPLY,compress lz4-v2").toString().contains("refuses (VORACLE)"));
    }
}
