package jmirage.core;

/**
 * FNV-1a, 32 bits (Fowler, Noll, Vo): the hash of the project's own open-addressing tables over bytes
 * (policy names, DHCP client keys, the resolver's recent answers), where {@link java.util.Arrays#hashCode}'s
 * polynomial in 31 collides on keys that differ in their last bytes. Not a defence against chosen
 * collisions by itself: a table fed by the network seeds the basis and bounds its probes.
 */
public final class Fnv1a {

    /** The standard offset basis. */
    public static final int BASIS = 0x811c9dc5;
    private static final int PRIME = 0x01000193;

    private Fnv1a() {}

    /** The hash of {@code data[from..to)}, starting from {@code basis} (a random one seeds a table). */
    public static int hash(byte[] data, int from, int to, int basis) {
        int h = basis;
        for (int i = from; i < to; i++) {
            h = (h ^ (data[i] & 0xff)) * PRIME;
        }
        return h;
    }
}
