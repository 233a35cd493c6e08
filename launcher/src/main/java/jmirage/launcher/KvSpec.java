package jmirage.launcher;

import jmirage.kv.MemKv;
import jmirage.kv.block.BlockKv;
import jmirage.kv.dir.DirKv;
import jmirage.kv.git.GitKv;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.host.ConsoleLog;
import jmirage.host.FileBlock;

/** Which store a unikernel gets, from the {@code --kv} boot parameter. */
public sealed interface KvSpec {

    /** The forms {@link #parse} accepts, for error messages and {@code --help}. */
    String FORMS = "mem | dir:PATH | git:PATH[#branch][?remote=URL[&key=SSH-KEY]] | block:FILE";

    /** Sector size of a {@code block:FILE} image. */
    int BLOCK_SECTOR_SIZE = 512;

    /** {@code mem}: in memory, empty at boot. */
    record Mem() implements KvSpec {}

    /** {@code dir:PATH}: one file per key under the folder {@code PATH}. */
    record Dir(Path root) implements KvSpec {}

    /**
     * {@code git:PATH[#branch][?remote=URL[&key=FILE]]}: a bare git repository, each batch a commit,
     * optionally pushed to a remote; an ssh:// remote authenticates with the key file.
     */
    record Git(Path path, String branch, Optional<String> remote, Optional<Path> sshKey) implements KvSpec {
        public Git(Path path, String branch, Optional<String> remote) {
            this(path, branch, remote, Optional.empty());
        }
    }

    /** {@code block:FILE}: the block format on a file image (format it with {@code unikernel store format}). */
    record BlockFile(Path image) implements KvSpec {}

    static Result<KvSpec, String> parse(String text) {
        if (text.equals("mem")) {
            return Result.ok(new Mem());
        }
        if (text.startsWith("dir:")) {
            return path(text, "dir:", "a folder path").map(Dir::new);
        }
        if (text.startsWith("block:")) {
            return path(text, "block:", "an image file").map(BlockFile::new);
        }
        if (text.startsWith("git:")) {
            String rest = text.substring("git:".length());
            Optional<String> remote = Optional.empty();
            Optional<Path> key = Optional.empty();
            String branch = "main";
            int q = rest.indexOf("?remote=");
            if (q >= 0) {
                String url = rest.substring(q + "?remote=".length());
                rest = rest.substring(0, q);
                int hash = url.lastIndexOf('#');
                if (hash >= 0) { // git:PATH?remote=URL#branch, the order
                    branch = url.substring(hash + 1);
                    url = url.substring(0, hash);
                }
                int amp = url.indexOf("&key=");
                if (amp >= 0) {
                    String file = url.substring(amp + "&key=".length());
                    url = url.substring(0, amp);
                    if (file.isEmpty()) {
                        return Result.err("--kv " + text + ": &key= needs an ssh private key file");
                    }
                    try {
                        key = Optional.of(Path.of(file));
                    } catch (InvalidPathException e) {
                        return Result.err("--kv " + text + ": not a path: " + e.getReason());
                    }
                }
                if (url.isEmpty()) {
                    return Result.err("--kv " + text + ": ?remote= needs a URL");
                }
                remote = Optional.of(url);
            }
            int hash = rest.indexOf('#');
            if (hash >= 0) {
                branch = rest.substring(hash + 1);
                rest = rest.substring(0, hash);
            }
            if (branch.isEmpty() || branch.contains("..") || branch.contains(" ")) {
                return Result.err("--kv " + text + ": '" + branch + "' is not a branch name");
            }
            String b = branch;
            Optional<String> r = remote;
            Optional<Path> k = key;
            return path("git:" + rest, "git:", "a repository path").map(p -> new Git(p, b, r, k));
        }
        return Result.err("--kv '" + text + "' is not a store: expected " + FORMS);
    }

    private static Result<Path, String> path(String text, String prefix, String what) {
        String path = text.substring(prefix.length());
        if (path.isEmpty()) {
            return Result.err("--kv " + prefix + " needs " + what);
        }
        try {
            return Result.ok(Path.of(path));
        } catch (InvalidPathException e) {
            return Result.err("--kv " + text + ": not a path: " + e.getReason());
        }
    }

    /** Builds the store, logging (the git backend's merges and pushes) to the console. */
    default Promise<Result<Kv, KvError>> open(Clock clock, Scheduler scheduler) {
        return open(clock, scheduler, ConsoleLog.create("kv", LogLevel.INFO, clock));
    }

    /**
     * Builds the store: for {@code dir}, creates the folder or recovers it after a crash; for
     * {@code git}, opens or creates the repository and fetches the remote; for {@code block}, mounts
     * the image (recovering from a crash). Opening a file blocks: call at boot.
     */
    default Promise<Result<Kv, KvError>> open(Clock clock, Scheduler scheduler, Log log) {
        return switch (this) {
            case Mem() -> Promise.resolved(Result.ok(new MemKv(clock)));
            case Dir(Path root) -> DirKv.open(root, scheduler).map(r -> r.map(kv -> kv));
            case Git(Path path, String branch, Optional<String> remote, Optional<Path> key) -> GitKv.open(
                    new GitKv.Options(path, branch, remote, Duration.ofMinutes(1), key), scheduler, clock, log)
                    .map(r -> r.map(kv -> kv));
            case BlockFile(Path image) -> switch (FileBlock.open(image, BLOCK_SECTOR_SIZE, false, scheduler)) {
                case Result.Err<FileBlock, String>(String reason) -> Promise.resolved(Result.err(new KvError.Storage(reason)));
                case Result.Ok<FileBlock, String>(FileBlock block) -> BlockKv.open(block, clock).map(r -> r.map(kv -> kv));
            };
        };
    }
}
