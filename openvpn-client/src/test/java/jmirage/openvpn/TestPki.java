package jmirage.openvpn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jmirage.testkit.Sh;

/** A CA, a server and a client certificate (P-256, two days) made with openssl in a test's folder: ca.crt, server.crt/.key, client.crt/.key. */
final class TestPki {

    private TestPki() {}

    static void create(Path dir) {
        Sh.requireCommand("openssl", "openssl");
        String curve = "ec_paramgen_curve:prime256v1";
        Sh.ok("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", curve, "-nodes", "-keyout", path(dir, "ca.key"), "-out", path(dir, "ca.crt"),
                "-days", "2", "-subj", "/CN=test-ca");
        for (String who : List.of("server", "client")) {
            Sh.ok("openssl", "req", "-newkey", "ec", "-pkeyopt", curve, "-nodes", "-keyout", path(dir, who + ".key"), "-out", path(dir, who + ".csr"),
                    "-subj", "/CN=" + who);
            try {
                // remote-cert-tls checks the extended key usage (and the key usage) openvpn expects of each side
                Files.writeString(dir.resolve(who + ".ext"), "extendedKeyUsage=" + who + "Auth\nkeyUsage=digitalSignature,keyAgreement\n");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            Sh.ok("openssl", "x509", "-req", "-in", path(dir, who + ".csr"), "-CA", path(dir, "ca.crt"), "-CAkey", path(dir, "ca.key"),
                    "-CAcreateserial", "-out", path(dir, who + ".crt"), "-days", "2", "-extfile", path(dir, who + ".ext"));
        }
    }

    private static String path(Path dir, String name) {
        return dir.resolve(name).toString();
    }
}
