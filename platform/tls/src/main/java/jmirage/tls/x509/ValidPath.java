package jmirage.tls.x509;

import java.util.List;

/** A validated chain: the leaf first, ending with the trust anchor it chains to. */
public record ValidPath(List<Certificate> chain) {

    public ValidPath {
        chain = List.copyOf(chain);
    }

    public Certificate leaf() {
        return chain.get(0);
    }

    public Certificate anchor() {
        return chain.get(chain.size() - 1);
    }
}
