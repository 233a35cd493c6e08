package jmirage.certify;

import jmirage.core.kv.Key;
import jmirage.core.kv.KvError;
import jmirage.core.net.Endpoint;
import jmirage.dns.Rcode;

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

    /** No answer from the server: connection, stream or time limit. */
    record NoAnswer(Endpoint server, String reason) implements CertifyError {
        public String describe() {
            return "no answer from " + server + ": " + reason;
        }
    }

    /** The server answered {@code what} with an error rcode (an update refused: NOTAUTH, REFUSED...). */
    record Refused(String what, int rcode) implements CertifyError {
        public String describe() {
            return "the server refused " + what + ": " + Rcode.of(rcode).describe();
        }
    }

    /** The answer broke the protocol: malformed, not ours, or its TSIG did not verify. */
    record BadAnswer(String reason) implements CertifyError {
        public String describe() {
            return "a bad answer: " + reason;
        }
    }
}
