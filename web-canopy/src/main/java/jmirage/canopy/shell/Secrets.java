package jmirage.canopy.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.canopy.content.Snapshot;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.core.kv.StoreClaim;
import jmirage.tls.SelfSigned;

/**
 * Canopy's secrets (decision 19): the webhook's secret and the TLS certificate and key, under the
 * same keys wherever they are kept. With the store named {@code secrets} given, they are read from
 * it and nothing of the content store counts; without it, from the content, as before.
 *
 * @param webhook {@link Webhook#SECRET}'s bytes as stored
 * @param certificate {@link SelfSigned#CERTIFICATE}'s
 * @param key {@link SelfSigned#KEY}'s
 */
public record Secrets(Optional<Bytes> webhook, Optional<Bytes> certificate, Optional<Bytes> key) {

    /** What canopy claims: optional, so that a store holding both content and secrets boots as before. */
    public static final StoreClaim CLAIM = new StoreClaim("secrets", "The webhook secret (" + Webhook.SECRET
            + "), the TLS pair (" + SelfSigned.CERTIFICATE + ", " + SelfSigned.KEY + ") and the key and certificate"
            + " --certify-* gets, apart from the content repository, which may be public. Without it they are read from"
            + " the content store.", false);

    /** The secrets kept in the content, for a canopy without a secrets store. */
    public static Secrets of(Snapshot content) {
        return new Secrets(Optional.ofNullable(content.files().get(Webhook.SECRET)),
                Optional.ofNullable(content.files().get(SelfSigned.CERTIFICATE)),
                Optional.ofNullable(content.files().get(SelfSigned.KEY)));
    }

    /** The secrets kept in {@code store}: each absent when its key is. */
    public static Promise<Result<Secrets, KvError>> read(Kv store) {
        List<Promise<Result<Optional<Bytes>, KvError>>> reads = new ArrayList<>();
        for (Key key : List.of(Webhook.SECRET, SelfSigned.CERTIFICATE, SelfSigned.KEY)) {
            reads.add(store.get(key).map(got -> switch (got) {
                case Result.Ok<Bytes, KvError>(Bytes value) -> Result.<Optional<Bytes>, KvError>ok(Optional.of(value));
                case Result.Err<Bytes, KvError>(KvError.NotFound nf) -> Result.<Optional<Bytes>, KvError>ok(Optional.empty());
                case Result.Err<Bytes, KvError>(KvError e) -> Result.<Optional<Bytes>, KvError>err(e);
            }));
        }
        return Promise.all(reads).map(values -> {
            for (Result<Optional<Bytes>, KvError> value : values) {
                if (value instanceof Result.Err<Optional<Bytes>, KvError>(KvError e)) {
                    return Result.err(e);
                }
            }
            return Result.ok(new Secrets(values.get(0).orElseThrow(), values.get(1).orElseThrow(), values.get(2).orElseThrow()));
        });
    }

    /** The secrets from the secrets store when there is one, else from {@code content}. */
    public static Promise<Result<Secrets, KvError>> read(Optional<Kv> store, Snapshot content) {
        return store.map(Secrets::read).orElseGet(() -> Promise.resolved(Result.ok(of(content))));
    }

    /** The webhook's secret, trimmed; empty when absent or blank (the webhook is then off). */
    public Optional<Bytes> webhookSecret() {
        return webhook.flatMap(Webhook::secret);
    }

    /** Whether the TLS pair differs from {@code other}'s. */
    public boolean tlsChangedFrom(Secrets other) {
        return !certificate.equals(other.certificate) || !key.equals(other.key);
    }

    /** Whether any secret is there. */
    public boolean any() {
        return webhookSecret().isPresent() || certificate.isPresent() || key.isPresent();
    }
}
