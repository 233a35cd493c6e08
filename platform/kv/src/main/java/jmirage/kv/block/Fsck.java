package jmirage.kv.block;

import java.util.ArrayList;
import java.util.List;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.block.Block;
import jmirage.core.kv.KvError;

/**
 * Checks a block store without writing to it: the superblocks, the chain of records, every value's
 * checksum, and the rest of the live region for whole records cut off from the chain. A torn last
 * record is what a crash leaves and is not damage: recovery drops it, as that batch was never
 * acknowledged.
 */
public final class Fsck {

    /** What fsck found; {@code damage} is empty for a clean store. */
    public record Report(List<String> damage, long generation, long records, int values, int dictionaries,
                         long usedBytes, long regionBytes) {
        public Report {
            damage = List.copyOf(damage);
        }

        public boolean clean() {
            return damage.isEmpty();
        }
    }

    private Fsck() {}

    static Promise<Result<Report, KvError>> check(Block block) {
        return LogScan.mount(block).flatMap(mounted -> switch (mounted) {
            case Result.Err<LogScan.Mounted, KvError>(KvError e) ->
                    Promise.resolved(Result.ok(new Report(List.of(e.describe()), 0, 0, 0, 0, 0, 0)));
            case Result.Ok<LogScan.Mounted, KvError>(LogScan.Mounted m) -> LogScan.recordsPastTheEnd(block, m)
                    .flatMap(past -> switch (past) {
                        case Result.Err<List<String>, KvError> e -> Promise.resolved(Result.err(e.error()));
                        case Result.Ok<List<String>, KvError>(List<String> cutOff) -> values(block, m, cutOff);
                    });
        });
    }

    /** Reads every value back through a mounted store, which checks each one's CRC32C. */
    private static Promise<Result<Report, KvError>> values(Block block, LogScan.Mounted m, List<String> cutOff) {
        List<String> damage = new ArrayList<>(cutOff);
        BlockKv kv = BlockKv.reader(block, m);
        List<Promise<Result<jmirage.core.Bytes, KvError>>> reads = new ArrayList<>();
        List<jmirage.core.kv.Key> keys = new ArrayList<>(m.index().tree().values().keySet());
        for (jmirage.core.kv.Key k : keys) {
            reads.add(kv.get(k));
        }
        return Promise.all(reads).map(results -> {
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i) instanceof Result.Err<jmirage.core.Bytes, KvError>(KvError e)) {
                    damage.add(e.describe());
                }
            }
            var sb = m.superblock();
            long used = (m.head() - sb.regionStart(sb.region())) * block.sectorSize();
            return Result.ok(new Report(damage, sb.generation(), m.records(), m.index().tree().valueCount(),
                    m.index().tree().dictionaries().size(), used, sb.regionSectors() * block.sectorSize()));
        });
    }
}
