package jmirage.dns.bench;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPublicKeySpec;
import java.util.concurrent.TimeUnit;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.dns.dnssec.Dnssec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * One ECDSA P-256 / SHA-256 verification (DNSSEC algorithm 13, RFC 6605) of a 200-byte RRset image,
 * microseconds each: what {@link Dnssec#verifySignature} does (Bouncy Castle, the key's point kept
 * from one call to the next), Bouncy Castle with the point decoded on every call, and the JDK's
 * SunEC through {@code java.security.Signature} with the {@code PublicKey} built once or on every
 * call. Every variant checks that the signature verifies, so none measures a failing path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EcdsaBenchmark {

    Bytes keyXy;
    Bytes data;
    Bytes rs;
    byte[] keyBytes;
    byte[] dataBytes;
    byte[] rsBytes;
    PublicKey jdkKey;
    ECPublicKeySpec jdkKeySpec;

    @Setup
    public void setup() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        dataBytes = new byte[200];
        for (int i = 0; i < dataBytes.length; i++) {
            dataBytes[i] = (byte) (i * 7);
        }
        Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
        signer.initSign(pair.getPrivate());
        signer.update(dataBytes);
        rsBytes = signer.sign();
        ECPublicKey pub = (ECPublicKey) pair.getPublic();
        keyBytes = new byte[64];
        fixed(pub.getW().getAffineX(), keyBytes, 0);
        fixed(pub.getW().getAffineY(), keyBytes, 32);
        keyXy = Bytes.of(keyBytes);
        data = Bytes.of(dataBytes);
        rs = Bytes.of(rsBytes);
        jdkKey = pub;
        jdkKeySpec = new ECPublicKeySpec(pub.getW(), pub.getParams());
        if (!dnssec() || !bouncyCastleFreshPoint() || !jdkKeyKept() || !jdkKeyBuiltEachTime()) {
            throw new IllegalStateException("a variant does not verify the signature");
        }
    }

    private static void fixed(BigInteger value, byte[] out, int at) {
        byte[] b = value.toByteArray();
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, at + 32 - n, n);
    }

    @Benchmark
    public boolean dnssec() {
        return Dnssec.verifySignature(Dnssec.ECDSAP256SHA256, keyXy, data, rs) instanceof Result.Ok;
    }

    @Benchmark
    public boolean bouncyCastleFreshPoint() {
        var p = CustomNamedCurves.getByName("secp256r1");
        byte[] point = new byte[65];
        point[0] = 4;
        System.arraycopy(keyBytes, 0, point, 1, 64);
        ECDomainParameters domain = new ECDomainParameters(p.getCurve(), p.getG(), p.getN(), p.getH());
        ECDSASigner s = new ECDSASigner();
        s.init(false, new ECPublicKeyParameters(p.getCurve().decodePoint(point), domain));
        SHA256Digest digest = new SHA256Digest();
        byte[] hash = new byte[32];
        digest.update(dataBytes, 0, dataBytes.length);
        digest.doFinal(hash, 0);
        return s.verifySignature(hash, new BigInteger(1, java.util.Arrays.copyOfRange(rsBytes, 0, 32)),
                new BigInteger(1, java.util.Arrays.copyOfRange(rsBytes, 32, 64)));
    }

    @Benchmark
    public boolean jdkKeyKept() throws Exception {
        Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
        verifier.initVerify(jdkKey);
        verifier.update(dataBytes);
        return verifier.verify(rsBytes);
    }

    @Benchmark
    public boolean jdkKeyBuiltEachTime() throws Exception {
        PublicKey key = KeyFactory.getInstance("EC").generatePublic(jdkKeySpec);
        Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
        verifier.initVerify(key);
        verifier.update(dataBytes);
        return verifier.verify(rsBytes);
    }

    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder().include(EcdsaBenchmark.class.getSimpleName()).build()).run();
    }
}
