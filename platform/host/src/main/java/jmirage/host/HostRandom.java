package jmirage.host;

import java.security.SecureRandom;
import jmirage.core.Random;

/** Randomness from the platform's default {@link SecureRandom}, which is safe to share between threads. */
public final class HostRandom implements Random {

    private final SecureRandom source = new SecureRandom();

    @Override
    public void fill(byte[] destination) {
        source.nextBytes(destination);
    }
}
