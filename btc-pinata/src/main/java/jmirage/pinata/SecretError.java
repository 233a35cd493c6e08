package jmirage.pinata;

import jmirage.core.kv.Key;
import jmirage.core.kv.KvError;

/** Why the pinata has no secret to guard, so it does not start. */
sealed interface SecretError {

    /** The secret given (on the command line or in the Kv) is empty. */
    record Empty() implements SecretError {}

    /** Neither {@code --secret} nor the Kv key {@code key}, outside {@code --test}. */
    record Missing(Key key) implements SecretError {}

    /** {@code --test} with {@code --secret}: the test CA's key is public, anyone could take it. */
    record TestModeWithCommandLineSecret() implements SecretError {}

    /** {@code --test} while the Kv holds {@code key}: as above, for a deployment's own store. */
    record TestModeWithStoredSecret(Key key) implements SecretError {}

    /** The Kv could not say whether it holds {@code key}. */
    record Unreadable(Key key, KvError error) implements SecretError {}

    String TEST_MODE_WITH_OWN_SECRET = "--test uses the published test CA, whose private key is public: anyone could"
            + " take a secret of yours. Drop --test, or run it without a secret (no --secret, no Kv key 'secret') to guard the test secret";

    default String describe() {
        return switch (this) {
            case Empty() -> "the secret is empty";
            case Missing(Key key) -> "no secret to guard: give --secret TEXT, or store it in the Kv at key '"
                    + key + "' (e.g. var/btc-pinata/secret with --kv dir:var/btc-pinata)";
            case TestModeWithCommandLineSecret() -> TEST_MODE_WITH_OWN_SECRET + " (--secret given)";
            case TestModeWithStoredSecret(Key key) -> TEST_MODE_WITH_OWN_SECRET + " (the Kv holds '" + key + "')";
            case Unreadable(Key key, KvError error) -> "reading the secret from the Kv: " + error.describe();
        };
    }
}
