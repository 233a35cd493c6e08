package jmirage.kv.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import jmirage.core.Result;
import jmirage.core.kv.KvError;

/**
 * Lock files a writer of this repository left behind when it died (kill -9, power cut) between
 * creating {@code refs/heads/main.lock} and renaming it over the ref: git never removes them, and
 * every later update of that ref fails with {@code LOCK_FAILURE} until someone deletes them by hand.
 *
 * <p>Removing one is only sound when no other program is writing the repository: call
 * {@link #remove} while holding the store's exclusive lock (the launcher's store lock), which is
 * the proof that the lock files belong to a dead writer and not to a live one.
 */
public final class StaleLocks {

    private StaleLocks() {}

    /**
     * Removes {@code *.lock} files under {@code refs/}, and {@code packed-refs.lock}, {@code HEAD.lock},
     * {@code config.lock} and {@code index.lock} at the top of the git directory {@code repository}
     * (a bare repository, or a work tree's {@code .git}); returns what it removed. Our own store lock
     * file ({@code jmirage.lock}) is left alone.
     */
    public static Result<List<Path>, KvError> remove(Path repository) {
        Path gitDir = Files.isDirectory(repository.resolve(".git")) ? repository.resolve(".git") : repository;
        List<Path> removed = new ArrayList<>();
        try {
            for (String top : List.of("packed-refs.lock", "HEAD.lock", "config.lock", "index.lock")) {
                if (Files.deleteIfExists(gitDir.resolve(top))) {
                    removed.add(gitDir.resolve(top));
                }
            }
            Path refs = gitDir.resolve("refs");
            if (Files.isDirectory(refs)) {
                List<Path> locks;
                try (Stream<Path> files = Files.walk(refs)) {
                    locks = files.filter(p -> p.getFileName().toString().endsWith(".lock") && Files.isRegularFile(p)).toList();
                }
                for (Path lock : locks) {
                    if (Files.deleteIfExists(lock)) {
                        removed.add(lock);
                    }
                }
            }
            return Result.ok(List.copyOf(removed));
        } catch (IOException e) {
            return Result.err(new KvError.Storage("cannot remove the lock files a dead writer left in " + gitDir + ": "
                    + e.getClass().getSimpleName() + " " + e.getMessage()));
        }
    }
}
