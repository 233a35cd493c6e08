package jmirage.pinata;

import java.util.function.Predicate;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.testkit.ForwardingKv;

/** A Kv over another that counts commits and can fail reads or commits of chosen keys (a failing disk). */
final class WatchedKv extends ForwardingKv {

    private final Predicate<Key> failReads;
    private final Predicate<Batch> failCommits;
    int commits;

    WatchedKv(Kv kv, Predicate<Key> failReads, Predicate<Batch> failCommits) {
        super(kv);
        this.failReads = failReads;
        this.failCommits = failCommits;
    }

    @Override
    public Promise<Result<Bytes, KvError>> get(Key key) {
        return failReads.test(key) ? Promise.resolved(Result.err(new KvError.Storage("test: read of " + key + " fails")))
                : inner.get(key);
    }

    @Override
    public Promise<Result<Unit, KvError>> commit(Batch batch) {
        if (failCommits.test(batch)) {
            return Promise.resolved(Result.err(new KvError.Storage("test: commit fails")));
        }
        commits++;
        return inner.commit(batch);
    }
}
