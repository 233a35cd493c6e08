package jmirage.launcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import jmirage.core.Result;

/**
 * The exclusive lock of one store: a {@code fcntl} lock ({@link FileChannel#tryLock}) on a lock
 * file of the store ({@link KvSpec#lockFile}), holding the holder's pid, start time and unikernel,
 * so that a second process is told who holds it. Released by {@link #release} and, when the process
 * dies (kill -9 included), by the kernel: a lock file left behind is no lock.
 */
final class StoreLock {

    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of {@code store} for {@code unikernel}, or says who holds it. */
    static Result<StoreLock, StoreError> acquire(KvSpec store, Path lockFile, String unikernel) {
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            return Result.err(new StoreError.Unusable(store, "cannot open its lock file " + lockFile + ": " + reason(e)));
        }
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) { // this JVM holds it already
                lock = null;
            }
            if (lock == null) {
                channel.close();
                return Result.err(new StoreError.InUse(store, lockFile, holder(lockFile)));
            }
            ProcessHandle self = ProcessHandle.current();
            Instant since = self.info().startInstant().orElseGet(Instant::now).truncatedTo(ChronoUnit.SECONDS);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((self.pid() + " " + since + " " + unikernel + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return Result.ok(new StoreLock(channel, lock));
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the lock failed already; that is the error to report
            }
            return Result.err(new StoreError.Unusable(store, "cannot lock " + lockFile + ": " + reason(e)));
        }
    }

    /** Unlocks; the file stays (removing it would race a process about to lock it). */
    void release() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the kernel drops the lock with the descriptor anyway
        }
    }

    /** {@code pid 1234 (dns-authoritative, since 2026-12-06T02:00:00Z)}, from what the holder wrote. */
    static Optional<String> holder(Path lockFile) {
        try {
            String[] fields = Files.readString(lockFile, StandardCharsets.UTF_8).strip().split(" ", 3);
            if (fields.length == 3 && fields[0].chars().allMatch(Character::isDigit) && !fields[0].isEmpty()) {
                return Optional.of("pid " + fields[0] + " (" + fields[2] + ", since " + fields[1] + ")");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String reason(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }
}
