package jmirage.dns.tsig;

import java.util.Objects;
import jmirage.core.Bytes;
import jmirage.dns.Name;

/** A shared TSIG key: its name, algorithm and secret. */
public record TsigKey(Name name, TsigAlgorithm algorithm, Bytes secret) {
    public TsigKey {
        Objects.requireNonNull(name);
        Objects.requireNonNull(algorithm);
        Objects.requireNonNull(secret);
    }

    @Override
    public String toString() {
        return "TsigKey[" + name + " " + algorithm + "]"; // never the secret
    }
}
