package jmirage.tls;

import jmirage.core.kv.Key;
import jmirage.core.kv.KvError;
import jmirage.tls.x509.PemError;

/** Why a TLS server's certificate and key ({@link SelfSigned}) cannot be used or made. */
public sealed interface TlsSetupError {

    String describe();

    Key key();

    record Unreadable(Key key, KvError cause) implements TlsSetupError {
        public String describe() {
            return "cannot read '" + key + "': " + cause.describe();
        }
    }

    record BadPem(Key key, PemError cause) implements TlsSetupError {
        public String describe() {
            return "'" + key + "' is not usable PEM: " + cause.describe();
        }
    }

    record NoCertificate(Key key) implements TlsSetupError {
        public String describe() {
            return "'" + key + "' holds no certificate";
        }
    }

    /** One of the pair is there and not the other: the operator's, half copied; not overwritten. */
    record HalfPair(Key key, Key present) implements TlsSetupError {
        public String describe() {
            return "'" + present + "' is in the store but '" + key + "' is missing: add it, or remove both for a self-signed pair";
        }
    }

    record KeyDoesNotMatch(Key key) implements TlsSetupError {
        public String describe() {
            return "'" + key + "' is not the key of the first certificate of the chain";
        }
    }

    record CannotStore(Key key, KvError cause) implements TlsSetupError {
        public String describe() {
            return "cannot store the generated certificate at '" + key + "': " + cause.describe();
        }
    }
}
