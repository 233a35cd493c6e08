package jmirage.pinata;

import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.net.FlowError;

/**
 * What the pinata guards. The bytes leave this object in exactly one way: {@link #handOver} to a
 * {@link Winner}, and only {@link Winner#verify} makes one, after our own path validation of the
 * peer's certificate against the CA. No accessor, no {@code toString} with the value, so a log line
 * or an HTTP page cannot show it by mistake.
 */
final class Secret {

    private final byte[] value;

    private Secret(byte[] value) {
        this.value = value;
    }

    static Result<Secret, SecretError> of(Bytes value) {
        if (value.isEmpty()) {
            return Result.err(new SecretError.Empty());
        }
        return Result.ok(new Secret(value.toArray()));
    }

    /** Writes the secret to the winner's TLS flow; the caller hangs up. */
    Promise<Result<Unit, FlowError>> handOver(Winner winner) {
        return winner.flow().write(Bytes.of(value));
    }

    int length() {
        return value.length;
    }

    @Override
    public String toString() {
        return "Secret[" + value.length + " bytes, not shown]";
    }
}
