package jmirage.canopy.shell;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.canopy.content.History;
import jmirage.canopy.content.Snapshot;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.kv.Entry;
import jmirage.core.kv.EntryKind;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.core.kv.KvHistory;

/**
 * The content repository as the core's input: every value of the Kv (the core decides what is
 * content) and, when the store keeps a history, each one's first and last commit time, from one walk
 * of the log ({@link KvHistory#datesOfEveryValue}). A store without history gives no dates, and the
 * core sorts such articles by their header's date or as oldest.
 */
public final class SnapshotReader {

    private SnapshotReader() {}

    public static Promise<Result<Snapshot, KvError>> read(Kv kv, Optional<KvHistory> history) {
        return values(kv, Key.ROOT).flatMap(keys -> switch (keys) {
            case Result.Err<List<Key>, KvError>(KvError e) -> Promise.resolved(Result.<Snapshot, KvError>err(e));
            case Result.Ok<List<Key>, KvError>(List<Key> all) -> contents(kv, all).flatMap(files -> switch (files) {
                case Result.Err<Map<Key, Bytes>, KvError>(KvError e) -> Promise.resolved(Result.<Snapshot, KvError>err(e));
                case Result.Ok<Map<Key, Bytes>, KvError>(Map<Key, Bytes> read) -> dates(history).map(d -> d.map(dates -> {
                    Map<Key, History> histories = new HashMap<>();
                    dates.forEach((key, date) -> {
                        if (read.containsKey(key)) {
                            histories.put(key, new History(date.created(), date.updated()));
                        }
                    });
                    return new Snapshot(read, histories);
                }));
            });
        });
    }

    /** Every value under {@code dictionary}, depth first. */
    private static Promise<Result<List<Key>, KvError>> values(Kv kv, Key dictionary) {
        return kv.list(dictionary).flatMap(listed -> switch (listed) {
            // an empty store has no root dictionary to list
            case Result.Err<List<Entry>, KvError>(KvError.NotFound nf) when dictionary.isRoot() ->
                    Promise.resolved(Result.<List<Key>, KvError>ok(List.of()));
            case Result.Err<List<Entry>, KvError>(KvError e) -> Promise.resolved(Result.<List<Key>, KvError>err(e));
            case Result.Ok<List<Entry>, KvError>(List<Entry> entries) -> {
                List<Promise<Result<List<Key>, KvError>>> parts = new ArrayList<>();
                for (Entry entry : entries) {
                    parts.add(entry.kind() == EntryKind.VALUE ? Promise.resolved(Result.ok(List.of(entry.key())))
                            : values(kv, entry.key()));
                }
                yield Promise.all(parts).map(SnapshotReader::concat);
            }
        });
    }

    private static Result<List<Key>, KvError> concat(List<Result<List<Key>, KvError>> parts) {
        List<Key> all = new ArrayList<>();
        for (Result<List<Key>, KvError> part : parts) {
            switch (part) {
                case Result.Err<List<Key>, KvError>(KvError e) -> {
                    return Result.err(e);
                }
                case Result.Ok<List<Key>, KvError>(List<Key> keys) -> all.addAll(keys);
            }
        }
        return Result.ok(all);
    }

    private static Promise<Result<Map<Key, Bytes>, KvError>> contents(Kv kv, List<Key> keys) {
        List<Promise<Result<Bytes, KvError>>> reads = keys.stream().map(kv::get).toList();
        return Promise.all(reads).map(values -> {
            Map<Key, Bytes> files = new HashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                switch (values.get(i)) {
                    case Result.Err<Bytes, KvError>(KvError e) -> {
                        return Result.err(e);
                    }
                    case Result.Ok<Bytes, KvError>(Bytes bytes) -> files.put(keys.get(i), bytes);
                }
            }
            return Result.ok(files);
        });
    }

    private static Promise<Result<Map<Key, KvHistory.Dates>, KvError>> dates(Optional<KvHistory> history) {
        return history.map(KvHistory::datesOfEveryValue).orElse(Promise.resolved(Result.ok(Map.of())));
    }
}
