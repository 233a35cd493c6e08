package jmirage.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.Result;
import jmirage.kv.MemKv;
import jmirage.sim.Simulation;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.Pem;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.junit.jupiter.api.Test;

/** The TLS pair: made once, stored, read back; an operator's broken pair refused, never overwritten. */
class SelfSignedTest {

    private static final Instant NOW = Instant.parse("2027-03-01T00:00:00Z");
    private final Simulation sim = new Simulation(3, NOW);
    private final MemKv kv = new MemKv(sim.clock());

    @Test
    void anEmptyStoreGetsASelfSignedCertificateStoredWithAWarningAndTheSameOneNextBoot() {
        SelfSigned.Loaded made = sim.await(SelfSigned.loadOrCreate(kv, "caldav", sim.random(), NOW, List.of("cal.example.org"),
                sim.log("caldav", LogLevel.INFO))).orElseThrow();
        assertTrue(made.generated());
        Certificate leaf = made.credentials().leaf();
        assertEquals(leaf.subject(), leaf.issuer(), "self-signed");
        assertTrue(leaf.notAfter().isAfter(NOW.plusSeconds(800L * 86400)));
        GeneralNames sans = GeneralNames.getInstance(leaf.extension(Extension.subjectAlternativeName).getParsedValue());
        List<String> names = java.util.Arrays.stream(sans.getNames()).map(GeneralName::toString).toList();
        assertTrue(names.contains("2: cal.example.org") && names.contains("2: localhost"), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.startsWith("7: #7f000001")), "127.0.0.1 in " + names);
        List<LogRecord> warnings = sim.records().stream().filter(r -> r.level() == LogLevel.WARN).toList();
        assertEquals(1, warnings.size());
        assertTrue(warnings.getFirst().message().contains("replace tls/server.pem and tls/server.key"), warnings.getFirst().message());

        SelfSigned.Loaded again = sim.await(SelfSigned.loadOrCreate(kv, "caldav", sim.random(), NOW, List.of(),
                sim.log("caldav", LogLevel.INFO))).orElseThrow();
        assertFalse(again.generated());
        assertEquals(leaf, again.credentials().leaf());
        assertEquals(1, sim.records().stream().filter(r -> r.level() == LogLevel.WARN).count(), "no second warning");
    }

    @Test
    void aHalfPairIsRefusedAndLeftAsItIs() {
        Bytes pem = Bytes.utf8(Pem.certificates(SelfSigned.make(sim.random(), NOW, List.of()).chain()));
        sim.await(kv.set(SelfSigned.CERTIFICATE, pem)).orElseThrow();
        Result<SelfSigned.Loaded, TlsSetupError> r = sim.await(SelfSigned.loadOrCreate(kv, "caldav", sim.random(), NOW, List.of(),
                sim.log("caldav", LogLevel.INFO)));
        TlsSetupError e = assertInstanceOf(Result.Err.class, r).error() instanceof TlsSetupError t ? t : null;
        assertEquals(new TlsSetupError.HalfPair(SelfSigned.KEY, SelfSigned.CERTIFICATE), e);
        assertEquals(pem, sim.await(kv.get(SelfSigned.CERTIFICATE)).orElseThrow());
        assertInstanceOf(Result.Err.class, sim.await(kv.get(SelfSigned.KEY)), "no key written");
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefused() {
        Credentials pair = SelfSigned.make(sim.random(), NOW, List.of());
        KeyPair other = KeyPair.generate(KeyType.EC_P256, sim.random());
        sim.await(kv.set(SelfSigned.CERTIFICATE, Bytes.utf8(Pem.certificates(pair.chain())))).orElseThrow();
        sim.await(kv.set(SelfSigned.KEY, Bytes.utf8(Pem.privateKey(other)))).orElseThrow();
        assertEquals(Result.err(new TlsSetupError.KeyDoesNotMatch(SelfSigned.KEY)), sim.await(SelfSigned.read(kv)));
        sim.await(kv.set(SelfSigned.KEY, Bytes.utf8(Pem.privateKey(pair.key())))).orElseThrow();
        assertEquals(Optional.of(pair.leaf()), sim.await(SelfSigned.read(kv)).orElseThrow().map(Credentials::leaf));
    }

    @Test
    void garbageIsReportedWithItsKey() {
        sim.await(kv.set(SelfSigned.CERTIFICATE, Bytes.utf8("not a certificate"))).orElseThrow();
        sim.await(kv.set(SelfSigned.KEY, Bytes.utf8("not a key"))).orElseThrow();
        Result<Optional<Credentials>, TlsSetupError> r = sim.await(SelfSigned.read(kv));
        TlsSetupError e = ((Result.Err<Optional<Credentials>, TlsSetupError>) r).error();
        assertEquals(SelfSigned.CERTIFICATE, e.key(), e.describe());
    }
}
