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
    /** Sorted by {@link Key}, so the keys under a key follow it in one run. */
    private final TreeMap<Key, Stored> values = new TreeMap<>();
    /** Every dictionary that exists, with when something under it last changed; the root always. */
    private final TreeMap<Key, Instant> dictionaries = new TreeMap<>();
    private final BatchRules.Store view = new BatchRules.Store() {
        @Override
        public boolean isValue(Key key) {
            return values.containsKey(key);
        }

        @Override
        public List<Key> valuesUnder(Key key) {
            return under(values, key).toList();
        }
    };
    private boolean closed;

    public MemKv(Clock clock) {
        this.clock = clock;
        dictionaries.put(Key.ROOT, clock.now());
    }

    @Override
    public Promise<Result<Bytes, KvError>> get(Key key) {
        return answer(() -> {
            Stored stored = values.get(key);
            if (stored != null) {
                return Result.ok(stored.value());
            }
            return Result.err(dictionaries.containsKey(key) ? new KvError.NotAValue(key) : new KvError.NotFound(key));
        });
    }

    @Override
    public Promise<Result<Optional<EntryKind>, KvError>> exists(Key key) {
        return answer(() -> Result.ok(kind(key)));
    }

    @Override
    public Promise<Result<List<Entry>, KvError>> list(Key dictionary) {
        return answer(() -> switch (kind(dictionary).orElse(null)) {
            case DICTIONARY -> Result.ok(children(dictionary));
            case VALUE -> Result.err(new KvError.NotADictionary(dictionary));
            case null -> Result.err(new KvError.NotFound(dictionary));
        });
    }

    @Override
    public Promise<Result<Instant, KvError>> lastModified(Key key) {
        return answer(() -> {
            Stored stored = values.get(key);
            Instant modified = stored != null ? stored.modified() : dictionaries.get(key);
            return modified != null ? Result.ok(modified) : Result.err(new KvError.NotFound(key));
        });
    }

    @Override
    public Promise<Result<Bytes, KvError>> digest(Key key) {
        return answer(() -> kind(key).isPresent() ? Result.ok(digestOf(key)) : Result.err(new KvError.NotFound(key)));
    }

    @Override
    public Promise<Result<Unit, KvError>> commit(Batch batch) {
        return answer(() -> {
            Result<Unit, KvError> verdict = BatchRules.check(batch, view);
            if (verdict.isOk()) {
                Instant now = clock.now();
                for (Change change : batch.changes()) {
                    switch (change) {
                        case Change.Set(Key key, Bytes value) -> set(key, value, now);
                        case Change.Remove(Key key) -> remove(key, now);
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

    private Optional<EntryKind> kind(Key key) {
        if (values.containsKey(key)) {
            return Optional.of(EntryKind.VALUE);
        }
        return dictionaries.containsKey(key) ? Optional.of(EntryKind.DICTIONARY) : Optional.empty();
    }

    private List<Entry> children(Key dictionary) {
        Stream<Entry> valuesIn = under(values, dictionary)
                .filter(k -> k.depth() == dictionary.depth() + 1)
                .map(k -> new Entry(k, EntryKind.VALUE));
        Stream<Entry> dictionariesIn = under(dictionaries, dictionary)
                .filter(k -> k.depth() == dictionary.depth() + 1)
                .map(k -> new Entry(k, EntryKind.DICTIONARY));
        return Stream.concat(valuesIn, dictionariesIn).sorted(Comparator.comparing(Entry::key)).toList();
    }

    private Bytes digestOf(Key key) {
        Stored stored = values.get(key);
        if (stored != null) {
            return Digests.ofValue(stored.value());
        }
        return Digests.ofDictionary(children(key).stream()
                .map(e -> new Digests.Child(e.key().name(), e.kind(), digestOf(e.key())))
                .toList());
    }

    /** Checked by {@link BatchRules}: nothing above the key is a value, and the key is no dictionary. */
    private void set(Key key, Bytes value, Instant now) {
        values.put(key, new Stored(value, now));
        touch(key.parent(), now);
    }

    private void remove(Key key, Instant now) {
        boolean removed = values.remove(key) != null;
        if (!key.isRoot()) {
            removed |= dictionaries.remove(key) != null;
        }
        for (Key k : Stream.concat(under(values, key), under(dictionaries, key)).toList()) {
            removed |= values.remove(k) != null | dictionaries.remove(k) != null;
        }
        if (!removed) {
            return;
        }
        // a dictionary exists while it has children, so the removal may empty the ones above
        Key above = key.parent();
        while (!above.isRoot() && under(values, above).findAny().isEmpty()) {
            dictionaries.remove(above);
            above = above.parent();
        }
        touch(above, now);
    }

    /** Records a change in {@code dictionary} and every dictionary above it. */
    private void touch(Key dictionary, Instant now) {
        Key k = dictionary;
        dictionaries.put(k, now);
        while (!k.isRoot()) {
            k = k.parent();
            dictionaries.put(k, now);
        }
    }

    /** The keys strictly under {@code key}: they follow it in key order, ending at the first that does not start with it. */
    private static Stream<Key> under(TreeMap<Key, ?> map, Key key) {
        return map.tailMap(key, false).keySet().stream().takeWhile(k -> k.startsWith(key));
    }
}
