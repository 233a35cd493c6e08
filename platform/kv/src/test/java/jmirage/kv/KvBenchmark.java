package jmirage.kv;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.RecordingLog;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.host.FileBlock;
import jmirage.kv.block.BlockKv;
import jmirage.kv.dir.DirKv;
import jmirage.kv.git.GitKv;
import jmirage.sim.SimScheduler;
import jmirage.sim.VirtualClock;

/**
 * Not a test: set and get of 1 KB values over up to 100k keys ({@code k/NN/NNNNN}: 100 dictionaries
 * of 1000) for every backend and for SQLite (synchronous=FULL, one transaction per batch), batches
 * of 1 and of 100, in one run on one machine. Each configuration stops at its key count or its time
 * budget, whichever comes first, and reports the rate over what it did. Usage:
 * {@code KvBenchmark FOLDER [KEYS] [SECONDS_PER_CONFIGURATION]}; see platform/kv/benchmark.md.
 */
public final class KvBenchmark {

    private record Outcome(String backend, int batchSize, int keys, double setSeconds, int gets, double getSeconds) {}

    private static Path folder;
    private static int keys;
    private static double budget;
    private static final Bytes VALUE;

    static {
        byte[] v = new byte[1024];
        new SplittableRandom(1).nextBytes(v);
        VALUE = Bytes.adopt(v);
    }

    public static void main(String[] args) throws Exception {
        folder = Path.of(args[0]);
        keys = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        budget = args.length > 2 ? Double.parseDouble(args[2]) : 60;
        Files.createDirectories(folder);
        List<Outcome> outcomes = new ArrayList<>();
        for (int batch : new int[] {100, 1}) {
            outcomes.add(runKv("mem", batch, scheduler -> new MemKv(scheduler.clock())));
            outcomes.add(runKv("block", batch, scheduler -> block(scheduler, folder.resolve("block-" + batch + ".img"))));
            outcomes.add(runKv("dir", batch, scheduler -> scheduler.runUntil(DirKv.open(folder.resolve("dir-" + batch), scheduler)).value().orElseThrow()));
            outcomes.add(runKv("git", batch, scheduler -> scheduler.runUntil(GitKv.open(GitKv.Options.local(folder.resolve("git-" + batch)),
                    scheduler, scheduler.clock(), new RecordingLog("kv", LogLevel.WARN, scheduler.clock(), r -> {}))).value().orElseThrow()));
            outcomes.add(runSqlite(batch));
        }
        System.out.println();
        System.out.println("| backend | batch | keys set | set/s | gets | get/s |");
        System.out.println("|---|---|---|---|---|---|");
        for (Outcome o : outcomes) {
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %.0f | %d | %.0f |%n", o.backend(), o.batchSize(), o.keys(),
                    o.keys() / o.setSeconds(), o.gets(), o.gets() / o.getSeconds());
        }
        blockIndexMemory();
    }

    interface Opener {
        Kv open(SimScheduler scheduler) throws Exception;
    }

    private static BlockKv block(SimScheduler scheduler, Path image) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(1L << 30); // regions of 512 MB: no compaction during the run
        }
        FileBlock device = FileBlock.open(image, 512, false, scheduler).orElseThrow();
        scheduler.runUntil(BlockKv.format(device, scheduler.clock())).value().orElseThrow();
        return scheduler.runUntil(BlockKv.open(device, scheduler.clock())).value().orElseThrow();
    }

    private static Key key(int i) {
        return Key.of(String.format(Locale.ROOT, "k/%02d/%05d", i % 100, i));
    }

    private static Outcome runKv(String name, int batchSize, Opener opener) throws Exception {
        SimScheduler scheduler = new SimScheduler(new VirtualClock(VirtualClock.DEFAULT_START));
        Kv kv = opener.open(scheduler);
        long start = System.nanoTime();
        int done = 0;
        while (done < keys && (System.nanoTime() - start) / 1e9 < budget) {
            List<Change> changes = new ArrayList<>(batchSize);
            for (int i = 0; i < batchSize && done + i < keys; i++) {
                changes.add(new Change.Set(key(done + i), VALUE));
            }
            scheduler.runUntil(kv.commit(new Batch("bench", "set", changes))).value().orElseThrow();
            done += changes.size();
        }
        double setSeconds = (System.nanoTime() - start) / 1e9;
        SplittableRandom random = new SplittableRandom(7);
        int gets = 0;
        start = System.nanoTime();
        while (gets < keys && (System.nanoTime() - start) / 1e9 < budget) {
            Bytes v = scheduler.runUntil(kv.get(key(random.nextInt(done)))).value().orElseThrow();
            if (v.size() != VALUE.size()) {
                throw new AssertionError("wrong value");
            }
            gets++;
        }
        double getSeconds = (System.nanoTime() - start) / 1e9;
        scheduler.runUntil(kv.close());
        System.out.printf(Locale.ROOT, "%-6s batch %3d: %6d keys set in %6.1f s, %6d gets in %5.1f s%n",
                name, batchSize, done, setSeconds, gets, getSeconds);
        return new Outcome(name, batchSize, done, setSeconds, gets, getSeconds);
    }

    private static Outcome runSqlite(int batchSize) throws SQLException {
        Path db = folder.resolve("sqlite-" + batchSize + ".db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA synchronous=FULL");
                s.execute("CREATE TABLE kv (key TEXT PRIMARY KEY, value BLOB NOT NULL)");
            }
            c.setAutoCommit(false);
            long start = System.nanoTime();
            int done = 0;
            try (PreparedStatement put = c.prepareStatement("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)")) {
                byte[] value = VALUE.toArray();
                while (done < keys && (System.nanoTime() - start) / 1e9 < budget) {
                    for (int i = 0; i < batchSize && done < keys; i++, done++) {
                        put.setString(1, key(done).toString());
                        put.setBytes(2, value);
                        put.executeUpdate();
                    }
                    c.commit();
                }
            }
            double setSeconds = (System.nanoTime() - start) / 1e9;
            c.setAutoCommit(true);
            SplittableRandom random = new SplittableRandom(7);
            int gets = 0;
            start = System.nanoTime();
            try (PreparedStatement get = c.prepareStatement("SELECT value FROM kv WHERE key = ?")) {
                while (gets < keys && (System.nanoTime() - start) / 1e9 < budget) {
                    get.setString(1, key(random.nextInt(done)).toString());
                    try (ResultSet r = get.executeQuery()) {
                        if (!r.next() || r.getBytes(1).length != VALUE.size()) {
                            throw new AssertionError("wrong value");
                        }
                    }
                    gets++;
                }
            }
            double getSeconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "%-6s batch %3d: %6d keys set in %6.1f s, %6d gets in %5.1f s%n",
                    "sqlite", batchSize, done, setSeconds, gets, getSeconds);
            return new Outcome("sqlite (synchronous=FULL)", batchSize, done, setSeconds, gets, getSeconds);
        }
    }

    /** Heap held by a mounted block store of 100k keys: the index (locations, never values). */
    private static void blockIndexMemory() throws Exception {
        Path image = folder.resolve("block-index.img");
        SimScheduler scheduler = new SimScheduler(new VirtualClock(VirtualClock.DEFAULT_START));
        BlockKv kv = block(scheduler, image);
        for (int done = 0; done < 100_000; done += 1000) {
            List<Change> changes = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                changes.add(new Change.Set(key(done + i), VALUE));
            }
            scheduler.runUntil(kv.commit(new Batch("bench", "set", changes))).value().orElseThrow();
        }
        scheduler.runUntil(kv.close());
        kv = null;
        long before = usedHeap();
        FileBlock device = FileBlock.open(image, 512, true, scheduler).orElseThrow();
        BlockKv mounted = scheduler.runUntil(BlockKv.open(device, scheduler.clock())).value().orElseThrow();
        long after = usedHeap();
        System.out.printf(Locale.ROOT, "%nblock index: %d keys, %.1f MB of heap (%.0f bytes per key)%n",
                mounted.size(), (after - before) / 1e6, (after - before) / (double) mounted.size());
    }

    private static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
