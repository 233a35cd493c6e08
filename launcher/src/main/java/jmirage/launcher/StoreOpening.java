package jmirage.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.kv.git.StaleLocks;

/**
 * Which store a unikernel gets and how it is opened, so that an operator can trust it (issue 14):
 *
 * <ul>
 *   <li>the default store is {@code var/NAME} under the project folder ({@link #PROJECT_FOLDER},
 *       set by ./unikernel), never under the current folder, and is created when missing; without
 *       a project folder there is no default and {@code --kv} is required;</li>
 *   <li>an explicit {@code --kv} that does not exist is an error unless {@code --kv-init} is given;
 *       a git store with a remote is created from its remote when missing (the remote is the data);</li>
 *   <li>one process per store: an exclusive {@link StoreLock}, whose error names the holder;</li>
 *   <li>under that lock, the ref lock files a dead writer left in a git store are removed
 *       ({@link StaleLocks}), with a warning naming each;</li>
 *   <li>the boot log says where the store is: {@code store: dir:/abs/path (created)} or {@code (existing)}.</li>
 * </ul>
 */
final class StoreOpening {

    /** The system property ./unikernel sets to its own folder: the project folder, home of the default store. */
    static final String PROJECT_FOLDER = "jmirage.home";

    private StoreOpening() {}

    /** An open store, its location made absolute, whether this boot created it, and its lock (none for mem). */
    record Opened(Kv kv, KvSpec store, boolean created, Optional<StoreLock> lock) {
        /** {@code dir:/abs/path (created)} or {@code (existing)}: the boot log's and the check's line. */
        String describe() {
            return store.location() + (created ? " (created)" : " (existing)");
        }

        /** Releases the lock; call once the store is closed. */
        void release() {
            lock.ifPresent(StoreLock::release);
        }
    }

    /** A store as the command line names it, absolute; {@code byDefault} when no --kv was given. */
    record Located(KvSpec store, boolean byDefault) {}

    /** The project folder ./unikernel passed, if any. */
    static Optional<Path> projectFolder() {
        return Optional.ofNullable(System.getProperty(PROJECT_FOLDER)).filter(p -> !p.isBlank()).map(Path::of);
    }

    /**
     * The store of {@code unikernel}: {@code --kv} if given (already checked by {@link BootCommandLine}),
     * else {@code dir:PROJECT/var/NAME}, else none.
     */
    static Result<Located, StoreError> locate(String unikernel, Optional<String> kv, Optional<Path> projectFolder) {
        if (kv.isPresent()) {
            KvSpec spec = KvSpec.parse(kv.get())
                    .orElseThrow(e -> new IllegalArgumentException("a bug: --kv is checked while parsing: " + e.describe()));
            return Result.ok(new Located(spec.absolute(), false));
        }
        return projectFolder
                .<Result<Located, StoreError>>map(home -> Result.ok(new Located(
                        new KvSpec.Dir(home.resolve("var").resolve(unikernel)).absolute(), true)))
                .orElseGet(() -> Result.err(new StoreError.NoStoreGiven(unikernel)));
    }

    /**
     * Creates the store if it is missing and may be created, takes its lock, recovers a git store's
     * stale ref locks, and opens it. Blocks (file work, and waiting for the open on the loop): call
     * at boot, off the loop. On failure nothing stays locked.
     */
    static Result<Opened, StoreError> open(String unikernel, Located located, boolean initAllowed,
                                           Clock clock, Scheduler scheduler, Log log) throws InterruptedException {
        KvSpec store = located.store();
        boolean created = !store.exists();
        if (created) {
            boolean fromRemote = store instanceof KvSpec.Git(var _, var _, Optional<String> remote, var _) && remote.isPresent();
            boolean creatable = !(store instanceof KvSpec.BlockFile);
            if (!creatable || !(located.byDefault() || initAllowed || fromRemote)) {
                return Result.err(new StoreError.Missing(store));
            }
            Result<Unit, StoreError> folder = createFolder(store);
            if (folder instanceof Result.Err<Unit, StoreError>(StoreError e)) {
                return Result.err(e);
            }
        }
        Optional<StoreLock> lock = Optional.empty();
        if (store.lockFile().isPresent()) {
            Result<StoreLock, StoreError> locked = StoreLock.acquire(store, store.lockFile().get(), unikernel);
            if (locked instanceof Result.Err<StoreLock, StoreError>(StoreError e)) {
                return Result.err(e);
            }
            lock = Optional.of(locked.orElseThrow());
        }
        if (store instanceof KvSpec.Git(Path path, var _, var _, var _) && !created) {
            // the store lock is ours: a ref lock file in it was left by a writer that died mid-commit
            switch (StaleLocks.remove(path)) {
                case Result.Ok<List<Path>, KvError>(List<Path> removed) -> removed.forEach(p -> log.warn(
                        "removed " + p + ", left by a writer of this store that died mid-commit (the store lock is ours)"));
                case Result.Err<List<Path>, KvError>(KvError e) -> {
                    lock.ifPresent(StoreLock::release);
                    return Result.err(new StoreError.Refused(store, e));
                }
            }
        }
        Result<Kv, KvError> opened;
        try {
            opened = HostTarget.onLoop(scheduler, () -> store.open(clock, scheduler, log));
        } catch (InterruptedException | RuntimeException e) {
            lock.ifPresent(StoreLock::release);
            throw e;
        }
        if (opened instanceof Result.Err<Kv, KvError>(KvError e)) {
            lock.ifPresent(StoreLock::release);
            return Result.err(new StoreError.Refused(store, e));
        }
        return Result.ok(new Opened(opened.orElseThrow(), store, created, lock));
    }

    /** The folder of a dir store, or of a git repository (its lock file goes inside, before git init). */
    private static Result<Unit, StoreError> createFolder(KvSpec store) {
        // instanceof, not a pattern switch: a first boot runs this (decision 23)
        Optional<Path> folder = store instanceof KvSpec.Dir(Path root) ? Optional.of(root)
                : store instanceof KvSpec.Git git ? Optional.of(git.path())
                : Optional.empty();
        try {
            if (folder.isPresent()) {
                Files.createDirectories(folder.get());
            }
            return Result.ok();
        } catch (IOException e) {
            return Result.err(new StoreError.Unusable(store, "cannot create " + folder.get() + ": "
                    + e.getClass().getSimpleName() + " " + e.getMessage()));
        }
    }
}
