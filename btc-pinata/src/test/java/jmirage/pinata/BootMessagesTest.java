package jmirage.pinata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import jmirage.core.kv.Key;
import jmirage.core.kv.KvError;
import jmirage.core.net.Endpoint;
import jmirage.core.net.NetError;
import jmirage.tls.x509.PathFailure;
import jmirage.tls.x509.PemError;
import org.junit.jupiter.api.Test;

/**
 * The lines an operator reads when the pinata does not start, or a peer is not a winner: typed
 * errors now, the same words as before (operators and their scripts read them).
 */
class BootMessagesTest {

    static final String TEST_MODE = "--test uses the published test CA, whose private key is public: anyone could"
            + " take a secret of yours. Drop --test, or run it without a secret (no --secret, no Kv key 'secret') to guard the test secret";

    @Test
    void secretRefusals() {
        assertEquals("the secret is empty", new BootError.NoSecret(new SecretError.Empty()).describe());
        assertEquals("no secret to guard: give --secret TEXT, or store it in the Kv at key 'secret'"
                + " (e.g. var/btc-pinata/secret with --kv dir:var/btc-pinata)", new SecretError.Missing(Pinata.SECRET_KEY).describe());
        assertEquals(TEST_MODE + " (--secret given)", new SecretError.TestModeWithCommandLineSecret().describe());
        assertEquals(TEST_MODE + " (the Kv holds 'secret')", new SecretError.TestModeWithStoredSecret(Key.of("secret")).describe());
        KvError broken = new KvError.Storage("disk on fire");
        assertEquals("reading the secret from the Kv: " + broken.describe(), new SecretError.Unreadable(Pinata.SECRET_KEY, broken).describe());
    }

    @Test
    void portRefusals() {
        assertEquals("--http-port and --https-port must be between 0 (off) and 65535, got 70000",
                new BootError.PortOutOfRange(70000).describe());
        assertEquals("port 10001 is the pinata's own (connects back to your port 40001 as a TLS client): pick another for the page",
                new BootError.PortOfARole(10001, Role.CONNECT_BACK).describe());
        assertEquals("--http-port and --https-port are the same port 8080", new BootError.SamePagePorts(8080).describe());
        assertEquals("the certificate through DNS: the store at 'certify/www.example.org.key': " + new KvError.Storage("full").describe(),
                new BootError.NoCertify(new jmirage.certify.CertifyError.Storage(Key.of("certify/www.example.org.key"),
                        new KvError.Storage("full"))).describe());
        assertEquals("--certify-key: the secret is empty; --https-port: 0", new BootError.CertifyParameters(List.of(
                jmirage.core.config.ConfigProblem.of("--certify-key", "the secret is empty"),
                jmirage.core.config.ConfigProblem.of("--https-port", "0"))).describe());
        NetError timedOut = new NetError.TimedOut(new Endpoint(java.net.InetAddress.getLoopbackAddress(), 80));
        assertEquals("port 10000: " + timedOut.describe() + "; https port 8443: " + timedOut.describe(),
                new BootError.CannotListen(List.of(new BootError.Listener("port 10000", timedOut),
                        new BootError.Listener("https port 8443", timedOut))).describe());
    }

    @Test
    void certificateRefusals() {
        assertEquals("test CA key: expected one PRIVATE KEY block, found 0",
                new BootError.NoCertificates(new PkiError.BadTestCaKey(new PemError.NotOneBlock("PRIVATE KEY", 0))).describe());
        assertEquals("missing from the class path: " + Pki.TEST_CA, new PkiError.MissingResource(Pki.TEST_CA).describe());
        assertEquals("test CA: expected one certificate in " + Pki.TEST_CA, new PkiError.NotOneTestCaCertificate(Pki.TEST_CA).describe());
    }

    @Test
    void notAWinner() {
        assertEquals("peer presented no certificate", new NotAWinner.NoCertificate().describe());
        PathFailure untrusted = new PathFailure.NoTrustedPath("CN=x");
        assertEquals(untrusted.describe(), new NotAWinner.Rejected(untrusted).describe());
    }
}
