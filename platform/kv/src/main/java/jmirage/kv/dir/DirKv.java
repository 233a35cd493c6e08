package jmirage.kv.dir;

import jmirage.kv.BatchRules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Entry;
import jmirage.core.kv.EntryKind;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;

/**
 * A {@link Kv} in a folder: key {@code a/b/c} is the file {@code root/a/b/c}, so an operator can
 * read the store with ls and cat, and drop files in for the service to see. Batches are atomic
 * across crashes by a write-ahead journal (see platform/kv/README.md).
 *
 * <p>Every operation is issued on the loop and runs through {@link Scheduler#detach}, each after the
 * previous one has finished: answers come in the order of the calls, with no locks.
 */
public final class DirKv implements Kv {

    /** Blocking work on the store; an I/O failure becomes a {@link KvError.Storage}. */
    @FunctionalInterface
    private interface Work<T> {
        Result<T, KvError> run() throws IOException;
    }

    private final DirStore store;
    private final Scheduler scheduler;
    /** Opened by {@link #openReadOnly}: commits are refused and nothing on disk is touched. */
    private final boolean readOnly;
    /** Settles when everything issued so far has finished; never rejected. */
    private Promise<Unit> tail = Promise.done();
    private boolean closed;
    /**
     * Set while a batch's journal may exist on disk. If its commit failed part-way, the next
     * operation redoes the journal first, so no one reads a half-applied batch.
     */
    private boolean journalPending;

    private DirKv(DirStore store, Scheduler scheduler, boolean readOnly) {
        this.store = store;
        this.scheduler = scheduler;
        this.readOnly = readOnly;
    }

    /** Opens the store in {@code root}, creating the folder if needed and recovering from a crash. */
    public static Promise<Result<DirKv, KvError>> open(Path root, Scheduler scheduler) {
        DirStore store = new DirStore(root.toAbsolutePath());
        Promise<Result<Unit, KvError>> recovered = scheduler.detach(() -> guarded(store, "open the store", () -> {
            store.recover();
            return Result.ok();
        }));
        return recovered.map(r -> r.map(ignored -> new DirKv(store, scheduler, false)));
    }

    /**
     * Opens an existing store to read it beside the process that writes it (a configuration check):
     * nothing on disk changes, no journal is replayed and no temporary file removed, and every
     * commit is refused. A journal on disk (a batch being written now, or cut off by a crash) makes
     * the open fail, since the files may hold half of that batch: the writer's own open replays it.
     */
    public static Promise<Result<DirKv, KvError>> openReadOnly(Path root, Scheduler scheduler) {
        DirStore store = new DirStore(root.toAbsolutePath());
        return scheduler.detach(() -> guarded(store, "open the store read-only", () -> {
            if (!Files.isDirectory(store.root())) {
                return Result.err(new KvError.Storage("no store folder " + store.root()));
            }
            if (store.batchInJournal()) {
                return Result.err(new KvError.Storage("a batch is being written to " + store.root()
                        + " or was cut off by a crash (" + DirStore.JOURNAL + "); its writer's next open replays it."
                        + " Try again in a moment"));
            }
            return Result.ok(new DirKv(store, scheduler, true));
        }));
    }

    @Override
    public Promise<Result<Bytes, KvError>> get(Key key) {
        return issue("read '" + key + "'", key, () -> switch (store.kind(key).orElse(null)) {
            case VALUE -> Result.ok(store.read(key));
            case DICTIONARY -> Result.err(new KvError.NotAValue(key));
            case null -> Result.err(new KvError.NotFound(key));
        });
    }

    @Override
    public Promise<Result<Optional<EntryKind>, KvError>> exists(Key key) {
        return issue("look up '" + key + "'", key, () -> Result.ok(store.kind(key)));
    }

    @Override
    public Promise<Result<List<Entry>, KvError>> list(Key dictionary) {
        return issue("list '" + dictionary + "'", dictionary, () -> switch (store.kind(dictionary).orElse(null)) {
            case DICTIONARY -> Result.ok(store.children(dictionary));
            case VALUE -> Result.err(new KvError.NotADictionary(dictionary));
            case null -> Result.err(new KvError.NotFound(dictionary));
        });
    }

    @Override
    public Promise<Result<Instant, KvError>> lastModified(Key key) {
        return issue("read the time of '" + key + "'", key, () -> store.kind(key).isPresent()
                ? Result.ok(store.lastModified(key))
                : Result.err(new KvError.NotFound(key)));
    }

    @Override
    public Promise<Result<Bytes, KvError>> digest(Key key) {
        return issue("digest '" + key + "'", key, () -> store.kind(key).isPresent()
                ? Result.ok(store.digest(key))
                : Result.err(new KvError.NotFound(key)));
    }

    @Override
    public Promise<Result<Unit, KvError>> commit(Batch batch) {
        Optional<Key> reserved = batch.changes().stream().map(Change::key).filter(DirStore::isReserved).findFirst();
        if (reserved.isPresent()) {
            return Promise.resolved(Result.err(reservedKey(reserved.get())));
        }
        if (readOnly) {
            return Promise.resolved(Result.err(new KvError.Storage("the store " + store.root()
                    + " is open read-only; not committed: " + batch.message())));
        }
        return issue("commit '" + batch.message() + "'", Key.ROOT, () -> {
            Result<Unit, KvError> verdict = BatchRules.check(batch, store);
            if (verdict.isOk() && !batch.changes().isEmpty()) {
                journalPending = true;
                store.commit(batch.changes());
                journalPending = false;
            }
            return verdict;
        });
    }

    /** Waits for what was issued; each commit was durable when it answered, so nothing is left to sync. */
    @Override
    public Promise<Unit> close() {
        closed = true;
        return tail;
    }

    private <T> Promise<Result<T, KvError>> issue(String what, Key key, Work<T> work) {
        if (closed) {
            return Promise.resolved(Result.err(new KvError.Closed()));
        }
        if (DirStore.isReserved(key)) {
            return Promise.resolved(Result.err(reservedKey(key)));
        }
        Promise<Result<T, KvError>> answer = tail.flatMap(ignored -> scheduler.detach(() -> guarded(store, what, () -> {
            if (journalPending) {
                store.recover();
                journalPending = false;
            }
            return work.run();
        })));
        tail = answer.map(ignored -> Unit.UNIT).recover(ignored -> Unit.UNIT);
        return answer;
    }

    private static KvError reservedKey(Key key) {
        return new KvError.InvalidKey(key, "names starting with '" + DirStore.RESERVED_PREFIX + "' belong to the dir backend");
    }

    private static <T> Result<T, KvError> guarded(DirStore store, String what, Work<T> work) {
        try {
            return work.run();
        } catch (IOException e) {
            return Result.err(storageError(store, what, e));
        } catch (UncheckedIOException e) {
            return Result.err(storageError(store, what, e.getCause()));
        }
    }

    private static KvError storageError(DirStore store, String what, IOException e) {
        return new KvError.Storage("cannot " + what + " in " + store.root() + ": "
                + e.getClass().getSimpleName() + " " + e.getMessage());
    }
}
