package jmirage.qubes.firewall;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.kv.Entry;
import jmirage.core.kv.EntryKind;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;

/**
 * Reads the feed's two dictionaries from the Kv ({@link Feed#CLIENTS}, {@link Feed#RULES}) as the
 * entries {@link Feed#read} takes, and their digest, by which the service notices a change.
 */
final class FeedReader {

    static final List<Key> ROOTS = List.of(Key.of(Feed.CLIENTS), Key.of(Feed.RULES));

    private FeedReader() {}

    /** Every value under the two dictionaries, by its path; a dictionary that does not exist is empty. */
    static Promise<Result<Map<String, String>, KvError>> entries(Kv kv) {
        Map<String, String> out = new TreeMap<>();
        List<Promise<Result<Map<String, String>, KvError>>> all = new ArrayList<>();
        for (Key root : ROOTS) {
            all.add(tree(kv, root, out));
        }
        return Promise.all(all).map(results -> results.stream().filter(r -> !r.isOk()).findFirst()
                .orElse(Result.ok(out)));
    }

    /** The digests of the two dictionaries, joined ({@code -} for one that does not exist). */
    static Promise<Result<String, KvError>> digest(Kv kv) {
        List<Promise<Result<String, KvError>>> all = new ArrayList<>();
        for (Key root : ROOTS) {
            all.add(kv.digest(root).map(d -> switch (d) {
                case Result.Ok<Bytes, KvError>(Bytes b) -> Result.ok(b.hex());
                case Result.Err<Bytes, KvError>(KvError.NotFound n) -> Result.ok("-");
                case Result.Err<Bytes, KvError>(KvError e) -> Result.err(e);
            }));
        }
        return Promise.all(all).map(results -> {
            StringBuilder joined = new StringBuilder();
            for (Result<String, KvError> r : results) {
                if (!(r instanceof Result.Ok<String, KvError>(String s))) {
                    return r;
                }
                joined.append(s).append('/');
            }
            return Result.ok(joined.toString());
        });
    }

    private static Promise<Result<Map<String, String>, KvError>> tree(Kv kv, Key at, Map<String, String> out) {
        return kv.list(at).flatMap(listed -> switch (listed) {
            case Result.Err<List<Entry>, KvError>(KvError.NotFound n) -> Promise.resolved(Result.ok(out));
            case Result.Err<List<Entry>, KvError>(KvError e) -> Promise.resolved(Result.err(e));
            case Result.Ok<List<Entry>, KvError>(List<Entry> entries) -> {
                List<Promise<Result<Map<String, String>, KvError>>> children = new ArrayList<>();
                for (Entry e : entries) {
                    children.add(e.kind() == EntryKind.DICTIONARY ? tree(kv, e.key(), out)
                            : kv.get(e.key()).map(v -> v.map(bytes -> {
                                out.put(e.key().toString(), bytes.toUtf8());
                                return out;
                            })));
                }
                yield Promise.all(children).map(results -> results.stream().filter(r -> !r.isOk()).findFirst()
                        .orElse(Result.ok(out)));
            }
        });
    }
}
