package jmirage.kv;

import java.util.List;
import java.util.stream.Stream;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Key;
import jmirage.core.kv.KvError;

/**
 * Whether a batch can be applied, decided before anything is written: the pure core of every
 * backend's commit. Each change is checked against the store as the earlier changes of the same
 * batch leave it, so a batch may remove a dictionary and then set a value in its place.
 *
 * <p>Only a {@link Change.Set} can fail: under a value ({@code NotADictionary}), over a dictionary
 * ({@code NotAValue}) or at the root ({@code InvalidKey}). Removing nothing is not an error.
 */
public final class BatchRules {

    /** The store before the batch, as far as the rules need to see it. */
    public interface Store {
        boolean isValue(Key key);

        /** The keys of every value strictly under {@code key}. */
        List<Key> valuesUnder(Key key);
    }

    private BatchRules() {}

    public static Result<Unit, KvError> check(Batch batch, Store before) {
        List<Change> changes = batch.changes();
        for (int i = 0; i < changes.size(); i++) {
            if (changes.get(i) instanceof Change.Set(Key key, var ignored)) {
                Result<Unit, KvError> verdict = checkSet(key, changes.subList(0, i), before);
                if (!verdict.isOk()) {
                    return verdict;
                }
            }
        }
        return Result.ok();
    }

    private static Result<Unit, KvError> checkSet(Key key, List<Change> earlier, Store before) {
        if (key.isRoot()) {
            return Result.err(new KvError.InvalidKey(key, "the root is a dictionary, it cannot hold a value"));
        }
        for (Key above = key.parent(); !above.isRoot(); above = above.parent()) {
            if (isValue(above, earlier, before)) {
                return Result.err(new KvError.NotADictionary(above));
            }
        }
        if (hasValueUnder(key, earlier, before)) {
            return Result.err(new KvError.NotAValue(key));
        }
        return Result.ok();
    }

    /** Whether {@code key} holds a value once {@code earlier} (already checked) is applied. */
    private static boolean isValue(Key key, List<Change> earlier, Store before) {
        for (Change c : earlier.reversed()) {
            Key changed = c.key();
            if (changed.equals(key)) {
                return c instanceof Change.Set;
            }
            if (key.startsWith(changed)) {
                return false; // a value or nothing was put above the key
            }
            if (changed.startsWith(key) && c instanceof Change.Set) {
                return false; // a value was put below: the key is a dictionary
            }
        }
        return before.isValue(key);
    }

    /** Only keys that held a value before or were set by the batch can hold one after it. */
    private static boolean hasValueUnder(Key key, List<Change> earlier, Store before) {
        Stream<Key> setByBatch = earlier.stream()
                .filter(c -> c instanceof Change.Set)
                .map(Change::key)
                .filter(k -> k.startsWith(key) && !k.equals(key));
        return Stream.concat(before.valuesUnder(key).stream(), setByBatch)
                .anyMatch(k -> isValue(k, earlier, before));
    }
}
