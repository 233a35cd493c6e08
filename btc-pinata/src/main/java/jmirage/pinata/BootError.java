package jmirage.pinata;

import java.util.List;
import java.util.stream.Collectors;
import jmirage.certify.CertifyError;
import jmirage.core.config.ConfigProblem;
import jmirage.core.net.NetError;

/** Why the pinata does not start; {@link Pinata#start} hands {@link #describe()} to the runner. */
sealed interface BootError {

    /** {@code --http-port} or {@code --https-port} outside 0..65535. */
    record PortOutOfRange(int port) implements BootError {}

    /** A page port that is one of the pinata's own role ports. */
    record PortOfARole(int port, Role role) implements BootError {}

    /** {@code --http-port} and {@code --https-port} name the same port. */
    record SamePagePorts(int port) implements BootError {}

    record NoSecret(SecretError error) implements BootError {}

    record NoCertificates(PkiError error) implements BootError {}

    /** The certify client could not start (its key in the Kv); the certify parameters' problems come before boot. */
    record NoCertify(CertifyError error) implements BootError {}

    /** The certify parameters are wrong (decision 6: the same lines as the check). */
    record CertifyParameters(List<ConfigProblem> problems) implements BootError {
        public CertifyParameters {
            problems = List.copyOf(problems);
        }
    }

    /** Listeners that could not be opened; none are left open. */
    record CannotListen(List<Listener> failures) implements BootError {
        public CannotListen {
            failures = List.copyOf(failures);
        }
    }

    /** One listener that could not be opened: what it was for ({@code port 10000}) and why. */
    record Listener(String what, NetError error) {}

    default String describe() {
        return switch (this) {
            case PortOutOfRange(int port) -> "--http-port and --https-port must be between 0 (off) and 65535, got " + port;
            case PortOfARole(int port, Role role) -> "port " + port + " is the pinata's own (" + role.description()
                    + "): pick another for the page";
            case SamePagePorts(int port) -> "--http-port and --https-port are the same port " + port;
            case NoSecret(SecretError error) -> error.describe();
            case NoCertificates(PkiError error) -> error.describe();
            case NoCertify(CertifyError error) -> "the certificate through DNS: " + error.describe();
            case CertifyParameters(List<ConfigProblem> problems) -> problems.stream().map(ConfigProblem::describe)
                    .collect(Collectors.joining("; "));
            case CannotListen(List<Listener> failures) -> failures.stream()
                    .map(f -> f.what() + ": " + f.error().describe()).collect(Collectors.joining("; "));
        };
    }
}
