package jmirage.certify;

import jmirage.core.kv.Key;
import jmirage.core.kv.KvError;
import jmirage.dns.Rcode;
import jmirage.dns.client.ExchangeError;
import jmirage.dns.client.UpdateError;

/** Why a step of the certify client failed, as a value; {@link #describe()} is the log line's end. */
public sealed interface CertifyError {

    String describe();

    /** The Kv could not be read or written at {@code key}. */
    record Storage(Key key, KvError error) implements CertifyError {
        public String describe() {
            return "the store at '" + key + "': " + error.describe();
        }
    }

    /** The Kv holds something at our key's place that is not a private key we can use; we do not overwrite it. */
    record StoredKeyUnreadable(Key key, String reason) implements CertifyError {
        public String describe() {
            return "'" + key + "' is not a usable private key (" + reason + "); remove it for a new key";
        }
    }

    /** No answer from the server to a query: connection, stream or time limit. */
    record NoAnswer(ExchangeError error) implements CertifyError {
        public String describe() {
            return error.describe();
        }
    }

    /** The server answered {@code what} with an error rcode. */
    record Refused(String what, int rcode) implements CertifyError {
        public String describe() {
            return "the server refused " + what + ": " + Rcode.of(rcode).describe();
        }
    }

    /** The answer to a query broke the protocol: malformed, not ours, truncated. */
    record BadAnswer(String reason) implements CertifyError {
        public String describe() {
            return "a bad answer: " + reason;
        }
    }

    /**
     * The update publishing our CSR did not take effect: no answer, refused (NOTAUTH, REFUSED, our
     * TSIG key refused), or an answer whose TSIG does not verify (RFC 8945 5.3).
     */
    record UpdateFailed(UpdateError error) implements CertifyError {
        public String describe() {
            return error.describe();
        }
    }
}
