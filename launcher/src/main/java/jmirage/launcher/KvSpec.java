package jmirage.launcher;

import jmirage.kv.MemKv;
import jmirage.kv.dir.DirKv;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import jmirage.core.Clock;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;

/** Which store a unikernel gets, from the {@code --kv} boot parameter. */
public sealed interface KvSpec {

    /** The forms {@link #parse} accepts, for error messages and {@code --help}. */
    String FORMS = "mem | dir:PATH";

    /** {@code mem}: in memory, empty at boot. */
    record Mem() implements KvSpec {}

    /** {@code dir:PATH}: one file per key under the folder {@code PATH}. */
    record Dir(Path root) implements KvSpec {}

    static Result<KvSpec, String> parse(String text) {
        if (text.equals("mem")) {
            return Result.ok(new Mem());
        }
        if (text.startsWith("dir:")) {
            String path = text.substring("dir:".length());
            if (path.isEmpty()) {
                return Result.err("--kv dir:PATH needs a folder path");
            }
            try {
                return Result.ok(new Dir(Path.of(path)));
            } catch (InvalidPathException e) {
                return Result.err("--kv " + text + ": not a path: " + e.getReason());
            }
        }
        return Result.err("--kv '" + text + "' is not a store: expected " + FORMS);
    }

    /** Builds the store; for {@code dir}, creates the folder or recovers it after a crash. */
    default Promise<Result<Kv, KvError>> open(Clock clock, Scheduler scheduler) {
        return switch (this) {
            case Mem() -> Promise.resolved(Result.ok(new MemKv(clock)));
            case Dir(Path root) -> DirKv.open(root, scheduler).map(r -> r.map(kv -> kv));
        };
    }
}
