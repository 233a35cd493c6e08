package jmirage.openvpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Key;
import jmirage.kv.MemKv;
import jmirage.openvpn.wire.ControlWrap;
import jmirage.openvpn.wire.StaticKey;
import jmirage.sim.Simulation;
import jmirage.tls.SelfSigned;
import jmirage.tls.x509.Pem;
import org.junit.jupiter.api.Test;

/** What the unikernel reads at boot (and {@code check}): openvpn.conf and the Kv files it names. */
class OpenVpnClientConfigTest {

    final Simulation sim = new Simulation(3, Instant.now());
    final MemKv kv = new MemKv(sim.clock());
    final String ca = Pem.certificates(List.of(SelfSigned.make(sim.random(), sim.clock().now(), List.of("vpn.test")).leaf()));
    final StaticKey ta = new StaticKey(sim.random().bytes(StaticKey.SIZE));

    void put(String key, String text) {
        sim.await(kv.set(Key.parse(key).orElseThrow(), Bytes.utf8(text))).orElseThrow();
    }

    Result<OpenVpnClient.Loaded, List<ConfigProblem>> read(String conf) {
        put("openvpn.conf", conf);
        return sim.await(OpenVpnClient.read(kv));
    }

    static final String CONF = "client\ndev tun\nremote 192.0.2.1 1194 udp\nca ca.crt\ntls-crypt ta.key\nauth-user-pass\n";

    @Test
    void theFilesNamedAreReadFromTheStoreAndTheCredentialsFromItsKey() {
        put("ca.crt", ca);
        put("ta.key", ta.format());
        put("auth-user-pass", "alice\ns3cret\n");
        Result<OpenVpnClient.Loaded, List<ConfigProblem>> read = read(CONF);
        OpenVpnClient.Loaded loaded = assertInstanceOf(Result.Ok.class, read, read.toString()) instanceof Result.Ok<?, ?>(OpenVpnClient.Loaded l)
                ? l : null;
        assertInstanceOf(ControlWrap.TlsCrypt.class, loaded.settings().wrap());
        assertEquals(Optional.of("alice"), loaded.settings().username());
        assertEquals(Optional.of("s3cret"), loaded.settings().password());
        assertEquals(1, loaded.settings().tls().trustAnchors().size());
    }

    @Test
    void aMissingFileIsAProblemNamingIt() {
        put("ca.crt", ca);
        put("auth-user-pass", "alice\ns3cret\n");
        var problems = ((Result.Err<OpenVpnClient.Loaded, List<ConfigProblem>>) read(CONF)).error();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.getFirst().source().equals("ta.key") && problems.getFirst().reason().contains("tls-crypt"), problems.toString());
    }

    @Test
    void aCaThatIsNoCertificateAndAnErrorOfTheFileAreRefused() {
        put("ca.crt", "not a certificate");
        put("ta.key", ta.format());
        put("auth-user-pass", "alice\ns3cret\n");
        assertEquals("ca: no certificate", ((Result.Err<OpenVpnClient.Loaded, List<ConfigProblem>>) read(CONF)).error().getFirst().reason());
        var problems = ((Result.Err<OpenVpnClient.Loaded, List<ConfigProblem>>) read(CONF + "comp-lzo yes\n")).error();
        assertEquals(7, problems.getFirst().line(), problems.toString());
    }
}
