package jmirage.resolver;

import java.util.Optional;
import jmirage.core.Promise;
import jmirage.dns.Question;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Resolve;
import jmirage.resolver.iterate.Hints;
import jmirage.resolver.validate.KeyFetcher;
import jmirage.resolver.validate.TrustAnchors;

/**
 * The core as the unikernel's shell sees it: it resolves (the serving layer and the policy ask
 * it), it is told new root hints and trust anchors (a reload on SIGHUP, an RFC 5011 rollover), and
 * it lends the rollover its recursion to fetch DNSKEY RRsets. The real one is {@link RecursiveCore};
 * tests serve scripted resolutions with {@link #scripted}.
 */
public interface Core extends Resolve {

    /** From now on: recursion from {@code hints}, validation from {@code anchors}. */
    void reconfigure(Hints hints, TrustAnchors anchors);

    /** How RFC 5011 probes fetch a trust point's DNSKEY RRset; empty for a core that does not recurse. */
    Optional<KeyFetcher> keys();

    /** A core that answers from {@code resolve}: nothing to reconfigure, no keys to fetch. */
    static Core scripted(Resolve resolve) {
        return new Core() {
            @Override
            public Promise<Resolution> resolve(Question question, boolean checkingDisabled) {
                return resolve.resolve(question, checkingDisabled);
            }

            @Override
            public void reconfigure(Hints hints, TrustAnchors anchors) {}

            @Override
            public Optional<KeyFetcher> keys() {
                return Optional.empty();
            }
        };
    }
}
