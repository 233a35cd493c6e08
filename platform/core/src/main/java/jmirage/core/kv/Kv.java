package jmirage.core.kv;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;

/**
 * Key-value storage, the device, as mirage-kv's {@code RW}: a tree of dictionaries whose leaves are
 * byte values. The semantics every backend keeps are written in platform/kv/README.md and checked by
 * its conformance suite.
 *
 * <p>Operations are answered in the order they were issued: a read issued after a commit sees it.
 */
public interface Kv {

    Promise<Result<Bytes, KvError>> get(Key key);

    /** What the key holds, or empty if nothing. */
    Promise<Result<Optional<EntryKind>, KvError>> exists(Key key);

    /** The direct children of a dictionary, sorted by name; NotFound if nothing is there. */
    Promise<Result<List<Entry>, KvError>> list(Key dictionary);

    /** When the value, or anything under the dictionary, last changed. */
    Promise<Result<Instant, KvError>> lastModified(Key key);

    /** A content hash of the value or the dictionary: equal content, equal digest. */
    Promise<Result<Bytes, KvError>> digest(Key key);

    /** Applies every change of the batch, in order, or none of them. */
    Promise<Result<Unit, KvError>> commit(Batch batch);

    default Promise<Result<Unit, KvError>> set(Key key, Bytes value) {
        return commit(Batch.set(key, value));
    }

    default Promise<Result<Unit, KvError>> remove(Key key) {
        return commit(Batch.remove(key));
    }

    /** Finishes what was issued, makes it durable, and releases the store. */
    Promise<Unit> close();
}
