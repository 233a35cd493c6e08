package jmirage.kv;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import jmirage.core.Bytes;
import jmirage.core.Clock;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Entry;
import jmirage.core.kv.EntryKind;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;

/**
 * A {@link Kv} in memory, gone when the process ends: for tests, the simulation, and services
 * whose state is a cache. Every answer is an already-settled promise.
 */
public final class MemKv implements Kv {

    private record Stored(Bytes value, Instant modified) {}

    private final Clock clock;
    private final KeyTree<Stored, Instant> tree;
    private boolean closed;

    public MemKv(Clock clock) {
        this.clock = clock;
        this.tree = new KeyTree<>(clock.now());
    }

    @Override
    public Promise<Result<Bytes, KvError>> get(Key key) {
        return answer(() -> {
            Stored stored = tree.value(key);
            if (stored != null) {
                return Result.ok(stored.value());
            }
            return Result.err(tree.dictionaryTime(key) != null ? new KvError.NotAValue(key) : new KvError.NotFound(key));
        });
    }

    @Override
    public Promise<Result<Optional<EntryKind>, KvError>> exists(Key key) {
        return answer(() -> Result.ok(tree.kind(key)));
    }

    @Override
    public Promise<Result<List<Entry>, KvError>> list(Key dictionary) {
        return answer(() -> switch (tree.kind(dictionary).orElse(null)) {
            case DICTIONARY -> Result.ok(tree.children(dictionary));
            case VALUE -> Result.err(new KvError.NotADictionary(dictionary));
            case null -> Result.err(new KvError.NotFound(dictionary));
        });
    }

    @Override
    public Promise<Result<Instant, KvError>> lastModified(Key key) {
        return answer(() -> {
            Stored stored = tree.value(key);
            Instant modified = stored != null ? stored.modified() : tree.dictionaryTime(key);
            return modified != null ? Result.ok(modified) : Result.err(new KvError.NotFound(key));
        });
    }

    @Override
    public Promise<Result<Bytes, KvError>> digest(Key key) {
        return answer(() -> tree.kind(key).isPresent() ? Result.ok(digestOf(key)) : Result.err(new KvError.NotFound(key)));
    }

    @Override
    public Promise<Result<Unit, KvError>> commit(Batch batch) {
        return answer(() -> {
            Result<Unit, KvError> verdict = BatchRules.check(batch, tree);
            if (verdict.isOk()) {
                Instant now = clock.now();
                for (Change change : batch.changes()) {
                    switch (change) {
                        case Change.Set(Key key, Bytes value) -> tree.set(key, new Stored(value, now), now);
                        case Change.Remove(Key key) -> tree.remove(key, now);
                    }
                }
            }
            return verdict;
        });
    }

    @Override
    public Promise<Unit> close() {
        closed = true;
        return Promise.done();
    }

    private <T> Promise<Result<T, KvError>> answer(Supplier<Result<T, KvError>> operation) {
        return Promise.resolved(closed ? Result.err(new KvError.Closed()) : operation.get());
    }

    private Bytes digestOf(Key key) {
        Stored stored = tree.value(key);
        if (stored != null) {
            return Digests.ofValue(stored.value());
        }
        return Digests.ofDictionary(tree.children(key).stream()
                .map(e -> new Digests.Child(e.key().name(), e.kind(), digestOf(e.key())))
                .toList());
    }
}
