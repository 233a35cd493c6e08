package jmirage.pinata;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-made TLS records (RFC 5246 6.2, 7.4; RFC 8446 4.1), for the protocol-level negative cases. */
final class Hellos {

    private Hellos() {}

    static final int SSL3 = 0x0300;
    static final int TLS10 = 0x0301;
    static final int TLS12 = 0x0303;

    static byte[] ext(int type, byte[] data) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        u16(b, type);
        u16(b, data.length);
        b.writeBytes(data);
        return b.toByteArray();
    }

    /**
     * The extensions a TLS 1.2 ECDHE client sends (RFC 8422 groups, RFC 5246 signature_algorithms,
     * RFC 7627 EMS, RFC 5746 renegotiation_info, empty on an initial handshake).
     */
    static byte[] tls12Extensions() {
        return concat(tls12ExtensionsWithoutRenegotiationInfo(), ext(0xff01, bytes(0)));
    }

    static byte[] tls12ExtensionsWithoutRenegotiationInfo() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(ext(0x000a, bytes(0, 4, 0, 0x1d, 0, 0x17)));          // supported_groups: x25519, secp256r1
        b.writeBytes(ext(0x000b, bytes(1, 0)));                            // ec_point_formats: uncompressed
        b.writeBytes(ext(0x000d, bytes(0, 6, 4, 3, 8, 4, 4, 1)));          // signature_algorithms
        b.writeBytes(ext(0x0017, new byte[0]));                            // extended_master_secret
        return b.toByteArray();
    }

    static byte[] clientHello(int recordVersion, int clientVersion, byte[] extensions) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        u16(body, clientVersion);
        body.writeBytes(new byte[32]);                                     // random
        body.write(0);                                                     // session_id
        int[] suites = {0xc02b, 0xc02f, 0xc013, 0x002f, 0x000a};
        u16(body, suites.length * 2);
        for (int s : suites) {
            u16(body, s);
        }
        body.write(1);
        body.write(0);                                                     // compression: null
        if (extensions.length > 0) {
            u16(body, extensions.length);
            body.writeBytes(extensions);
        }
        return record(0x16, recordVersion, handshake(1, body.toByteArray()));
    }

    /** An SSL 2.0 CLIENT-HELLO (RFC 6176 forbids answering it with SSL 2.0). */
    static byte[] sslv2ClientHello() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(1);                                                        // CLIENT-HELLO
        u16(b, 0x0002);                                                    // SSL 2.0
        u16(b, 9);                                                         // cipher specs: 3 x 3 bytes
        u16(b, 0);                                                         // session id
        u16(b, 16);                                                        // challenge
        b.writeBytes(bytes(0x01, 0x00, 0x80, 0x07, 0x00, 0xc0, 0x00, 0x00, 0x0a));
        b.writeBytes(new byte[16]);
        byte[] msg = b.toByteArray();
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        u16(r, 0x8000 | msg.length);
        r.writeBytes(msg);
        return r.toByteArray();
    }

    /** A ServerHello of {@code version} choosing ECDHE-ECDSA-AES128-GCM, no extensions. */
    static byte[] serverHello(int version) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        u16(body, version);
        body.writeBytes(new byte[32]);
        body.write(0);
        u16(body, 0xc02b);
        body.write(0);
        return record(0x16, version, handshake(2, body.toByteArray()));
    }

    /** RFC 6520 heartbeat_request claiming 16 KiB of payload it does not carry (Heartbleed's shape). */
    static byte[] heartbleed(int recordVersion) {
        return record(0x18, recordVersion, bytes(1, 0x40, 0x00));
    }

    /** A HelloRequest (RFC 5246 7.4.1.1): the server asking the client to renegotiate. */
    static byte[] helloRequest() {
        return record(0x16, TLS12, handshake(0, new byte[0]));
    }

    static byte[] garbage() {
        return "GET / HTTP/1.1\r\nHost: pinata\r\n\r\n\u0000\u00ff\u0016\u0003\u0003\u00ff\u00ff".getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] record(int type, int version, byte[] fragment) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(type);
        u16(b, version);
        u16(b, fragment.length);
        b.writeBytes(fragment);
        return b.toByteArray();
    }

    static byte[] handshake(int type, byte[] body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(type);
        b.write(body.length >>> 16);
        b.write(body.length >>> 8);
        b.write(body.length);
        b.writeBytes(body);
        return b.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static void u16(ByteArrayOutputStream b, int v) {
        b.write(v >>> 8);
        b.write(v);
    }
}
