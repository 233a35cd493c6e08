package jmirage.pinata;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.core.Result;
import jmirage.tls.TlsFlow;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.PathFailure;
import jmirage.tls.x509.PathValidator;
import jmirage.tls.x509.Purpose;
import jmirage.tls.x509.ValidPath;

/**
 * Proof that a TLS peer holds a certificate issued by the pinata's CA: the only key that opens
 * {@link Secret#handOver}. It can only be made by {@link #verify}, which checks the peer's chain
 * once more with RFC 5280 path validation against the CA alone (platform/tls has already done so in
 * the handshake; this second check keeps the guarantee local to this class).
 */
final class Winner {

    private final TlsFlow flow;
    private final Certificate leaf;

    private Winner(TlsFlow flow, Certificate leaf) {
        this.flow = flow;
        this.leaf = leaf;
    }

    /**
     * The winner on {@code flow}, if its peer's chain validates to {@code ca} at {@code now} for
     * {@code purpose} (clientAuth when we are the server, serverAuth when we are the client).
     */
    static Result<Winner, NotAWinner> verify(TlsFlow flow, Certificate ca, Instant now, Purpose purpose) {
        List<Certificate> chain = flow.session().peerChain();
        if (chain.isEmpty()) {
            return Result.err(new NotAWinner.NoCertificate());
        }
        Result<ValidPath, PathFailure> path = PathValidator.validate(chain.getFirst(), chain.subList(1, chain.size()),
                List.of(ca), now, purpose, Optional.empty());
        return switch (path) {
            case Result.Ok<ValidPath, PathFailure>(ValidPath p) -> Result.ok(new Winner(flow, chain.getFirst()));
            case Result.Err<ValidPath, PathFailure>(PathFailure why) -> Result.err(new NotAWinner.Rejected(why));
        };
    }

    TlsFlow flow() {
        return flow;
    }

    /** The certificate the winner proved it holds the key of. */
    Certificate leaf() {
        return leaf;
    }

    /** The winner's certificate subject, for the log. */
    String subject() {
        return leaf.subject();
    }
}
