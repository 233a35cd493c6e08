package jmirage.resolver.validate;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.dnssec.Dnssec;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** An Ed25519 KSK (RFC 8080) for tests: its DNSKEY (revoked or not) and signatures over DNSKEY RRsets. */
record SigningKey(AsymmetricCipherKeyPair pair, Rdata.Dnskey key) {

    static final Name ROOT = Name.ROOT;
    /** Signatures made by tests are valid from here for two years, so hold-downs run within them. */
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    static SigningKey generate(SecureRandom random) {
        Ed25519KeyPairGenerator gen = new Ed25519KeyPairGenerator();
        gen.init(new Ed25519KeyGenerationParameters(random));
        AsymmetricCipherKeyPair pair = gen.generateKeyPair();
        return new SigningKey(pair, new Rdata.Dnskey(257, 3, Dnssec.ED25519,
                Bytes.of(((Ed25519PublicKeyParameters) pair.getPublic()).getEncoded())));
    }

    Rdata.Dnskey revoked() {
        return new Rdata.Dnskey(key.flags() | Rollover.REVOKE, key.protocol(), key.algorithm(), key.publicKey());
    }

    int tag() {
        return Dnssec.keyTag(key);
    }

    /** The RRSIG of this key (as {@code as}: itself or its revoked form) over {@code rrset}. */
    Record sign(Rdata.Dnskey as, List<Record> rrset) {
        Rdata.Rrsig unsigned = new Rdata.Rrsig(Type.DNSKEY, as.algorithm(), rrset.getFirst().name().labelCount(), 3600,
                START.plusSeconds(2 * 365 * 86400L).getEpochSecond(), START.minusSeconds(86400).getEpochSecond(),
                Dnssec.keyTag(as), rrset.getFirst().name(), Bytes.EMPTY);
        byte[] data = Dnssec.signedData(unsigned, rrset).orElseThrow().toArray();
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, pair.getPrivate());
        signer.update(data, 0, data.length);
        Rdata.Rrsig sig = new Rdata.Rrsig(unsigned.typeCovered(), unsigned.algorithm(), unsigned.labels(),
                unsigned.originalTtl(), unsigned.expiration(), unsigned.inception(), unsigned.keyTag(), unsigned.signer(),
                Bytes.of(signer.generateSignature()));
        return Record.in(rrset.getFirst().name(), 3600, sig);
    }

    /** An answer: the DNSKEY RRset of {@code published} keys at the root, signed by each of {@code signers}. */
    static List<Record> answer(List<Rdata.Dnskey> published, List<SigningKey> signers, List<Rdata.Dnskey> signAs) {
        List<Record> rrset = published.stream().map(k -> Record.in(ROOT, 3600, k)).toList();
        List<Record> out = new ArrayList<>(rrset);
        for (int i = 0; i < signers.size(); i++) {
            out.add(signers.get(i).sign(signAs.get(i), rrset));
        }
        return out;
    }
}
