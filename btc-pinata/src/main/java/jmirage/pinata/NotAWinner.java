package jmirage.pinata;

import jmirage.tls.x509.PathFailure;

/** Why a finished handshake makes no {@link Winner}: the log line of a {@code peer-unverified} refusal. */
sealed interface NotAWinner {

    /** The peer's chain is empty: it presented no certificate. */
    record NoCertificate() implements NotAWinner {}

    /** The peer's chain does not validate to the pinata's CA alone. */
    record Rejected(PathFailure reason) implements NotAWinner {}

    default String describe() {
        return switch (this) {
            case NoCertificate() -> "peer presented no certificate";
            case Rejected(PathFailure reason) -> reason.describe();
        };
    }
}
