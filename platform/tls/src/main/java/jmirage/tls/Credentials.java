package jmirage.tls;

import java.util.List;
import java.util.Objects;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.KeyPair;

/** A certificate chain (leaf first, the anchor usually left out) and the leaf's private key. */
public record Credentials(List<Certificate> chain, KeyPair key) {
    public Credentials {
        chain = List.copyOf(chain);
        Objects.requireNonNull(key);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a credential needs at least the leaf certificate");
        }
    }

    public Certificate leaf() {
        return chain.get(0);
    }
}
