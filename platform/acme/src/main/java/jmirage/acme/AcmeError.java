package jmirage.acme;

/** Why an ACME exchange failed, as a value; {@link #describe()} is the line for the log. */
public sealed interface AcmeError {

    String describe();

    /** No response: the connection, TLS or HTTP framing failed, or the response did not come in time. */
    record Transport(String reason) implements AcmeError {
        public String describe() {
            return "no response from the ACME server: " + reason;
        }
    }

    /**
     * The server answered with a problem document (RFC 8555 6.7, RFC 7807): its {@code type} (for
     * example {@code urn:ietf:params:acme:error:badNonce}), {@code detail} and the HTTP status.
     */
    record Problem(int status, String type, String detail) implements AcmeError {
        public String describe() {
            return "the ACME server refused (" + status + " " + type + "): " + detail;
        }
    }

    /** The server's answer broke the protocol: bad JSON, a missing field or header, an unexpected status. */
    record Protocol(String reason) implements AcmeError {
        public String describe() {
            return "the ACME server's answer is not ACME: " + reason;
        }
    }

    /** An authorization or the order ended {@code invalid}; {@code reason} says which and why (the challenge's error). */
    record Invalid(String reason) implements AcmeError {
        public String describe() {
            return "the ACME server did not validate: " + reason;
        }
    }

    /** Answering the DNS-01 challenge failed on our side (the TXT record could not be published). */
    record Challenge(String identifier, String reason) implements AcmeError {
        public String describe() {
            return "could not answer the DNS-01 challenge for " + identifier + ": " + reason;
        }
    }

    /** An order or authorization stayed {@code pending}/{@code processing} past the client's limit. */
    record Timeout(String what) implements AcmeError {
        public String describe() {
            return "the ACME server did not finish in time: " + what;
        }
    }
}
