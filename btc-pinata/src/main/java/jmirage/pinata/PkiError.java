package jmirage.pinata;

import jmirage.tls.x509.PemError;

/** Why the pinata could not make its certificates (only the published test CA, read at boot, can fail). */
sealed interface PkiError {

    /** {@code resource} is not on the class path (a broken build). */
    record MissingResource(String resource) implements PkiError {}

    /** {@code resource} is there but could not be read. */
    record UnreadableResource(String resource, String detail) implements PkiError {}

    /** The test CA certificate does not parse. */
    record BadTestCaCertificate(PemError error) implements PkiError {}

    /** The test CA key does not parse. */
    record BadTestCaKey(PemError error) implements PkiError {}

    /** {@code resource} holds more than one certificate. */
    record NotOneTestCaCertificate(String resource) implements PkiError {}

    default String describe() {
        return switch (this) {
            case MissingResource(String resource) -> "missing from the class path: " + resource;
            case UnreadableResource(String resource, String detail) -> "reading " + resource + ": " + detail;
            case BadTestCaCertificate(PemError error) -> "test CA certificate: " + error.describe();
            case BadTestCaKey(PemError error) -> "test CA key: " + error.describe();
            case NotOneTestCaCertificate(String resource) -> "test CA: expected one certificate in " + resource;
        };
    }
}
