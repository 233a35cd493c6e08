package jmirage.testkit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Entry;
import jmirage.core.kv.EntryKind;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;

/**
 * A Kv that passes every call to {@code inner}: a test's failing or counting store overrides only the calls it
 * changes (a full disk fails {@code commit}, a bad sector fails {@code get}).
 */
public abstract class ForwardingKv implements Kv {

    protected final Kv inner;

    protected ForwardingKv(Kv inner) {
        this.inner = inner;
    }

    @Override
    public Promise<Result<Bytes, KvError>> get(Key key) {
        return inner.get(key);
    }

    @Override
    public Promise<Result<Optional<EntryKind>, KvError>> exists(Key key) {
        return inner.exists(key);
    }

    @Override
    public Promise<Result<List<Entry>, KvError>> list(Key dictionary) {
        return inner.list(dictionary);
    }

    @Override
    public Promise<Result<Instant, KvError>> lastModified(Key key) {
        return inner.lastModified(key);
    }

    @Override
    public Promise<Result<Bytes, KvError>> digest(Key key) {
        return inner.digest(key);
    }

    @Override
    public Promise<Result<Unit, KvError>> commit(Batch batch) {
        return inner.commit(batch);
    }

    @Override
    public Promise<Unit> close() {
        return inner.close();
    }
}
