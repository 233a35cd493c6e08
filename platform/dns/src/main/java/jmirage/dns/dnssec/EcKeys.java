package jmirage.dns.dnssec;

import java.util.concurrent.ConcurrentHashMap;
import jmirage.core.Bytes;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * The ECDSA public keys of DNSKEYs (RFC 6605 4: X | Y) as curve points, kept once decoded. A zone
 * signs every RRset with the same few keys, and Bouncy Castle keeps the multiples of a point it
 * computes while verifying on the point itself: verifying with a point already used costs less
 * than half of verifying with a freshly decoded one (measured: 80 against 175 microseconds for
 * P-256). A pure memo of a function of the key's bytes, bounded (emptied when full), safe to share
 * between threads (Bouncy Castle synchronises its precomputation on the point).
 */
final class EcKeys {

    /** Keys kept: far more than the zones a resolver validates at once (each has one or two keys). */
    static final int MAX_KEYS = 4096;

    private record Key(String curve, Bytes point) {}

    private static final ConcurrentHashMap<Key, ECPublicKeyParameters> KEYS = new ConcurrentHashMap<>();

    private EcKeys() {}

    /**
     * The public key X | Y on {@code curve}; Bouncy Castle's IllegalArgumentException for bytes that
     * are not a point of the curve (nothing is kept then).
     */
    static ECPublicKeyParameters of(String curve, byte[] xy) {
        Key key = new Key(curve, Bytes.of(xy));
        ECPublicKeyParameters known = KEYS.get(key);
        if (known != null) {
            return known;
        }
        ECPublicKeyParameters decoded = decode(curve, xy);
        if (KEYS.size() >= MAX_KEYS) {
            KEYS.clear();
        }
        KEYS.put(key, decoded);
        return decoded;
    }

    static int size() {
        return KEYS.size();
    }

    private static ECPublicKeyParameters decode(String curve, byte[] xy) {
        X9ECParameters p = CustomNamedCurves.getByName(curve);
        byte[] point = new byte[1 + xy.length];
        point[0] = 4; // uncompressed (SEC 1 2.3.3)
        System.arraycopy(xy, 0, point, 1, xy.length);
        ECDomainParameters domain = new ECDomainParameters(p.getCurve(), p.getG(), p.getN(), p.getH());
        return new ECPublicKeyParameters(p.getCurve().decodePoint(point), domain);
    }
}
