package jmirage.pinata;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
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

/** A Kv over another that counts commits and can fail reads or commits of chosen keys (a failing disk). */
final class WatchedKv implements Kv {

    private final Kv kv;
    private final Predicate<Key> failReads;
    private final Predicate<Batch> failCommits;
    int commits;

    WatchedKv(Kv kv, Predicate<Key> failReads, Predicate<Batch> failCommits) {
        this.kv = kv;
        this.failReads = failReads;
        this.failCommits = failCommits;
    }

    @Override
    public Promise<Result<Bytes, KvError>> get(Key key) {
        return failReads.test(key) ? Promise.resolved(Result.err(new KvError.Storage("test: read of " + key + " fails")))
                : kv.get(key);
    }

    @Override
    public Promise<Result<Optional<EntryKind>, KvError>> exists(Key key) {
        return kv.exists(key);
    }

    @Override
    public Promise<Result<List<Entry>, KvError>> list(Key dictionary) {
        return kv.list(dictionary);
    }

    @Override
    public Promise<Result<Instant, KvError>> lastModified(Key key) {
        return kv.lastModified(key);
    }

    @Override
    public Promise<Result<Bytes, KvError>> digest(Key key) {
        return kv.digest(key);
    }

    @Override
    public Promise<Result<Unit, KvError>> commit(Batch batch) {
        if (failCommits.test(batch)) {
            return Promise.resolved(Result.err(new KvError.Storage("test: commit fails")));
        }
        commits++;
        return kv.commit(batch);
    }

    @Override
    public Promise<Unit> close() {
        return kv.close();
    }
}
