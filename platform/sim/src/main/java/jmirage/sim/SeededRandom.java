package jmirage.sim;

import java.util.SplittableRandom;
import jmirage.core.Random;

/** Reproducible randomness for the simulation: the same seed gives the same bytes. Not for secrets. */
public final class SeededRandom implements Random {

    private final SplittableRandom generator;

    public SeededRandom(long seed) {
        this.generator = new SplittableRandom(seed);
    }

    @Override
    public void fill(byte[] destination) {
        generator.nextBytes(destination);
    }
}
