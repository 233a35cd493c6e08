package jmirage.tls.x509;

import java.math.BigInteger;
import java.util.Objects;
import jmirage.core.Random;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;

/** A private key with its public half, as Bouncy Castle lightweight parameters. */
public record KeyPair(KeyType type, AsymmetricKeyParameter privateKey, AsymmetricKeyParameter publicKey) {

    public KeyPair {
        Objects.requireNonNull(type);
        if (!privateKey.isPrivate() || publicKey.isPrivate()) {
            throw new IllegalArgumentException("need a private and a public key");
        }
    }

    /** A fresh key pair, all randomness from the device. */
    public static KeyPair generate(KeyType type, Random random) {
        DeviceSecureRandom sr = new DeviceSecureRandom(random);
        AsymmetricCipherKeyPair pair = switch (type) {
            case RSA_2048 -> {
                RSAKeyPairGenerator g = new RSAKeyPairGenerator();
                g.init(new RSAKeyGenerationParameters(BigInteger.valueOf(65537), sr, 2048, 100));
                yield g.generateKeyPair();
            }
            case EC_P256 -> {
                ECKeyPairGenerator g = new ECKeyPairGenerator();
                g.init(new ECKeyGenerationParameters(
                        ECNamedDomainParameters.lookup(SECObjectIdentifiers.secp256r1), sr));
                yield g.generateKeyPair();
            }
            case ED25519 -> {
                Ed25519KeyPairGenerator g = new Ed25519KeyPairGenerator();
                g.init(new Ed25519KeyGenerationParameters(sr));
                yield g.generateKeyPair();
            }
        };
        return new KeyPair(type, pair.getPrivate(), pair.getPublic());
    }

    /** The pair for a private key read from storage; the public half is derived from it. */
    public static java.util.Optional<KeyPair> fromPrivate(AsymmetricKeyParameter key) {
        return switch (key) {
            case RSAPrivateCrtKeyParameters rsa when rsa.getModulus().bitLength() >= 2048 -> java.util.Optional.of(
                    new KeyPair(KeyType.RSA_2048, rsa, new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent())));
            case ECPrivateKeyParameters ec when ec.getParameters() instanceof ECNamedDomainParameters named
                    && named.getName().equals(SECObjectIdentifiers.secp256r1) -> java.util.Optional.of(
                    new KeyPair(KeyType.EC_P256, ec, new ECPublicKeyParameters(
                            ec.getParameters().getG().multiply(ec.getD()).normalize(), ec.getParameters())));
            case Ed25519PrivateKeyParameters ed -> java.util.Optional.of(
                    new KeyPair(KeyType.ED25519, ed, ed.generatePublicKey()));
            default -> java.util.Optional.empty();
        };
    }

    @Override
    public String toString() {
        return "KeyPair[" + type + "]";   // never the key material
    }
}
