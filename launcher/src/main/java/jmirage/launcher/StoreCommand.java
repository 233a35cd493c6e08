package jmirage.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Entry;
import jmirage.core.kv.EntryKind;
import jmirage.core.kv.Key;
import jmirage.core.kv.KvError;
import jmirage.host.FileBlock;
import jmirage.host.HostClock;
import jmirage.host.HostScheduler;
import jmirage.kv.block.BlockKv;
import jmirage.kv.block.Fsck;

/**
 * {@code unikernel store COMMAND IMAGE ...}: inspect and repair a block-store image, as an operator
 * expects. {@code get} writes the value unchanged to standard output, {@code put} reads it from
 * standard input, {@code fsck} exits 1 when it finds damage.
 */
final class StoreCommand {

    static final int EXIT_DAMAGE = 1;
    static final int EXIT_FAILURE = 1;
    /** An import is committed in batches of about this many bytes of values. */
    static final int IMPORT_BATCH_BYTES = 4 << 20;

    static final String USAGE = """
            usage: unikernel store COMMAND IMAGE [ARGS]
              format IMAGE              write an empty store over the existing file or device IMAGE
              ls IMAGE [KEY]            list a dictionary (the root by default); dictionaries end in /
              get IMAGE KEY             write the value of KEY to standard output, unchanged
              put IMAGE KEY             store standard input as the value of KEY
              rm IMAGE KEY              remove KEY (a value or a whole dictionary)
              fsck IMAGE                check the image; exit status 1 if it is damaged
              export IMAGE DIR          write every value to a file under DIR (created if missing)
              import IMAGE DIR          store every file under DIR as a value, in one batch per 4 MB""";

    private StoreCommand() {}

    static int run(List<String> args, InputStream in, OutputStream out, PrintWriter err) {
        if (args.size() < 2 || args.getFirst().equals("--help")) {
            err.println(USAGE);
            return args.size() == 1 && args.getFirst().equals("--help") ? 0 : Main.EXIT_USAGE;
        }
        String command = args.get(0);
        Path image = Path.of(args.get(1));
        List<String> rest = args.subList(2, args.size());
        int wanted = switch (command) {
            case "format", "fsck" -> 0;
            case "ls" -> rest.size() <= 1 ? rest.size() : -1;
            case "get", "put", "rm", "export", "import" -> 1;
            default -> -2;
        };
        if (wanted == -2) {
            err.println("unknown store command '" + command + "'");
            err.println(USAGE);
            return Main.EXIT_USAGE;
        }
        if (wanted != rest.size()) {
            err.println("wrong number of arguments for 'store " + command + "'");
            err.println(USAGE);
            return Main.EXIT_USAGE;
        }
        // a command that writes takes the image's store lock, as a unikernel booted on it does:
        // never a write under a running service (reading beside it is what check and fsck are for)
        Optional<StoreLock> lock = Optional.empty();
        if (List.of("format", "put", "rm", "import").contains(command)) {
            KvSpec store = new KvSpec.BlockFile(image).absolute();
            switch (StoreLock.acquire(store, store.lockFile().orElseThrow(), "unikernel store " + command)) {
                case Result.Err<StoreLock, StoreError>(StoreError e) -> {
                    err.println("unikernel store " + command + " " + image + ": " + e.describe());
                    return EXIT_FAILURE;
                }
                case Result.Ok<StoreLock, StoreError>(StoreLock held) -> lock = Optional.of(held);
            }
        }
        HostScheduler scheduler = HostScheduler.start("store");
        HostClock clock = new HostClock();
        try {
            FileBlock block = FileBlock.open(image, KvSpec.BLOCK_SECTOR_SIZE,
                    command.equals("fsck") || command.equals("get") || command.equals("ls") || command.equals("export"),
                    scheduler).orElseThrow(e -> new Failed("block device " + e.describe()));
            try {
                return switch (command) {
                    case "format" -> {
                        await(scheduler, () -> BlockKv.format(block, clock)).orElseThrow(Failed::of);
                        long regions = (block.sectorCount() - 2) / 2 * block.sectorSize();
                        err.println("formatted " + image + ": " + block.sectorCount() + " sectors of " + block.sectorSize()
                                + " bytes, two regions of " + regions + " bytes");
                        yield 0;
                    }
                    case "fsck" -> fsck(scheduler, block, image, out);
                    default -> {
                        BlockKv kv = await(scheduler, () -> BlockKv.open(block, clock)).orElseThrow(Failed::of);
                        int status = switch (command) {
                            case "ls" -> ls(scheduler, kv, rest.isEmpty() ? Key.ROOT : key(rest.getFirst()), out);
                            case "get" -> {
                                Bytes value = await(scheduler, () -> kv.get(key(rest.getFirst()))).orElseThrow(Failed::of);
                                out.write(value.toArray());
                                out.flush();
                                yield 0;
                            }
                            case "put" -> {
                                Bytes value = Bytes.adopt(in.readAllBytes());
                                Key k = key(rest.getFirst());
                                await(scheduler, () -> kv.commit(new Batch("unikernel store", "put " + k, List.of(new Change.Set(k, value)))))
                                        .orElseThrow(Failed::of);
                                yield 0;
                            }
                            case "rm" -> {
                                Key k = key(rest.getFirst());
                                if (await(scheduler, () -> kv.exists(k)).orElseThrow(Failed::of).isEmpty()) {
                                    throw new Failed("nothing at '" + k + "'");
                                }
                                await(scheduler, () -> kv.commit(new Batch("unikernel store", "rm " + k, List.of(new Change.Remove(k)))))
                                        .orElseThrow(Failed::of);
                                yield 0;
                            }
                            case "export" -> export(scheduler, kv, Path.of(rest.getFirst()), err);
                            case "import" -> importFrom(scheduler, kv, Path.of(rest.getFirst()), err);
                            default -> throw new IllegalStateException(command);
                        };
                        await(scheduler, () -> kv.close().map(u -> Result.<KvError>ok()));
                        yield status;
                    }
                };
            } finally {
                await(scheduler, () -> block.close().map(u -> Result.<KvError>ok()));
            }
        } catch (Failed e) {
            err.println("unikernel store " + command + " " + image + ": " + e.getMessage());
            return EXIT_FAILURE;
        } catch (IOException e) {
            err.println("unikernel store " + command + " " + image + ": " + e);
            return EXIT_FAILURE;
        } finally {
            lock.ifPresent(StoreLock::release);
            try {
                scheduler.shutdown(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int fsck(HostScheduler scheduler, FileBlock block, Path image, OutputStream out) throws IOException {
        Fsck.Report report = await(scheduler, () -> BlockKv.fsck(block)).orElseThrow(Failed::of);
        PrintWriter w = new PrintWriter(out, true);
        if (report.clean()) {
            w.println(image + ": clean; generation " + report.generation() + ", " + report.records() + " records, "
                    + report.values() + " values, " + report.usedBytes() + " of " + report.regionBytes()
                    + " bytes of the live region in use");
            return 0;
        }
        w.println(image + ": DAMAGED");
        report.damage().forEach(d -> w.println("  " + d));
        return EXIT_DAMAGE;
    }

    private static int ls(HostScheduler scheduler, BlockKv kv, Key dictionary, OutputStream out) {
        List<Entry> entries = await(scheduler, () -> kv.list(dictionary)).orElseThrow(Failed::of);
        PrintWriter w = new PrintWriter(out, true);
        for (Entry e : entries) {
            w.println(e.key() + (e.kind() == EntryKind.DICTIONARY ? "/" : ""));
        }
        return 0;
    }

    private static int export(HostScheduler scheduler, BlockKv kv, Path dir, PrintWriter err) throws IOException {
        Files.createDirectories(dir);
        List<Key> dictionaries = new ArrayList<>(List.of(Key.ROOT));
        int count = 0;
        while (!dictionaries.isEmpty()) {
            Key d = dictionaries.removeLast();
            for (Entry e : await(scheduler, () -> kv.list(d)).orElseThrow(Failed::of)) {
                if (e.kind() == EntryKind.DICTIONARY) {
                    dictionaries.add(e.key());
                    continue;
                }
                Bytes value = await(scheduler, () -> kv.get(e.key())).orElseThrow(Failed::of);
                Path file = dir;
                for (String s : e.key().segments()) {
                    file = file.resolve(s);
                }
                Files.createDirectories(file.getParent());
                Files.write(file, value.toArray());
                count++;
            }
        }
        err.println("exported " + count + " values to " + dir);
        return 0;
    }

    private static int importFrom(HostScheduler scheduler, BlockKv kv, Path dir, PrintWriter err) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new Failed(dir + " is not a folder");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        List<Change> changes = new ArrayList<>();
        long bytes = 0;
        int batches = 0;
        for (Path f : files) {
            Key k = Key.parse(dir.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/"))
                    .orElseThrow(e -> new Failed(f + ": " + e.describe()));
            Bytes value = Bytes.adopt(Files.readAllBytes(f));
            changes.add(new Change.Set(k, value));
            bytes += value.size();
            if (bytes >= IMPORT_BATCH_BYTES) {
                commit(scheduler, kv, changes, dir, ++batches);
                changes.clear();
                bytes = 0;
            }
        }
        if (!changes.isEmpty()) {
            commit(scheduler, kv, changes, dir, ++batches);
        }
        err.println("imported " + files.size() + " values from " + dir + " in " + batches + " batch(es)");
        return 0;
    }

    private static void commit(HostScheduler scheduler, BlockKv kv, List<Change> changes, Path dir, int n) {
        Batch b = new Batch("unikernel store", "import " + dir + " (" + n + ")", List.copyOf(changes));
        await(scheduler, () -> kv.commit(b)).orElseThrow(Failed::of);
    }

    private static Key key(String text) {
        return Key.parse(text).orElseThrow(e -> new Failed("'" + text + "' is not a key: " + e.describe()));
    }

    private static <T> Result<T, KvError> await(HostScheduler scheduler, java.util.function.Supplier<Promise<Result<T, KvError>>> action) {
        try {
            return HostTarget.onLoop(scheduler, action);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted");
        }
    }

    /** A failure the operator reads: a message, no stack trace. */
    private static final class Failed extends RuntimeException {
        Failed(String message) {
            super(message, null, false, false);
        }

        static Failed of(KvError e) {
            return new Failed(e.describe());
        }
    }
}
