package jmirage.openvpn.keys;

import java.util.Objects;
import java.util.Optional;
import jmirage.core.Bytes;

/**
 * One side's key material in key method 2 (ssl_common.h struct key_source): the client's 48-byte
 * pre-master secret (the server sends none) and two 32-byte randoms.
 */
public record KeySource(Optional<Bytes> preMaster, Bytes random1, Bytes random2) {

    public static final int PRE_MASTER = 48;
    public static final int RANDOM = 32;

    public KeySource {
        Objects.requireNonNull(preMaster);
        if (preMaster.isPresent() && preMaster.get().size() != PRE_MASTER) {
            throw new IllegalArgumentException("pre-master secret of " + preMaster.get().size() + " bytes");
        }
        if (random1.size() != RANDOM || random2.size() != RANDOM) {
            throw new IllegalArgumentException("randoms have " + RANDOM + " bytes");
        }
    }

    /** The client's: {@code bytes} are 112 random bytes (pre-master, random1, random2 in the order OpenVPN draws them). */
    public static KeySource client(Bytes random112) {
        if (random112.size() != PRE_MASTER + 2 * RANDOM) {
            throw new IllegalArgumentException("a client key source takes " + (PRE_MASTER + 2 * RANDOM) + " random bytes");
        }
        return new KeySource(Optional.of(random112.slice(0, PRE_MASTER)), random112.slice(PRE_MASTER, PRE_MASTER + RANDOM),
                random112.slice(PRE_MASTER + RANDOM, PRE_MASTER + 2 * RANDOM));
    }

    public Bytes encode() {
        return preMaster.orElse(Bytes.EMPTY).concat(random1).concat(random2);
    }

    @Override
    public String toString() {
        return "KeySource[secret]";
    }
}
