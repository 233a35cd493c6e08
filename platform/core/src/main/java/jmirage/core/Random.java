package jmirage.core;

/**
 * Randomness, the device: cryptographically strong on a real target, seeded and reproducible in
 * the simulation.
 */
public interface Random {

    /** Fills {@code destination} with random bytes. */
    void fill(byte[] destination);

    default Bytes bytes(int count) {
        byte[] b = new byte[count];
        fill(b);
        return Bytes.adopt(b);
    }

    default long nextLong() {
        byte[] b = new byte[8];
        fill(b);
        long v = 0;
        for (byte x : b) {
            v = (v << 8) | (x & 0xff);
        }
        return v;
    }

    /** A uniform integer in [0, bound), without modulo bias. */
    default int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long range = 1L << 32;
        long limit = range - (range % bound);
        while (true) {
            long candidate = nextLong() >>> 32;
            if (candidate < limit) {
                return (int) (candidate % bound);
            }
        }
    }
}
