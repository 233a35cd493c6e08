package jmirage.kv;

import jmirage.kv.dir.DirKv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Entry;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.sim.SimScheduler;
import jmirage.sim.VirtualClock;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random batches over a small tree of keys, applied to a backend and to {@link KvModel}: every
 * commit must succeed or fail alike, and after each one every key must read the same.
 */
class KvModelPropertyTest {

    private static final List<String> SEGMENTS = List.of("a", "b", "c");

    /** Every key up to three levels deep over {@link #SEGMENTS}, and the root. */
    private static final List<Key> KEYS = keys(3);

    @Property(tries = 200)
    void memoryStoreBehavesLikeTheModel(@ForAll("batches") List<Batch> batches) {
        SimScheduler scheduler = new SimScheduler(new VirtualClock(VirtualClock.DEFAULT_START));
        check(new MemKv(scheduler.clock()), scheduler, batches);
    }

    @Property(tries = 50)
    void dirStoreBehavesLikeTheModel(@ForAll("batches") List<Batch> batches) throws IOException {
        Path root = Files.createTempDirectory("kv-property");
        try {
            SimScheduler scheduler = new SimScheduler(new VirtualClock(VirtualClock.DEFAULT_START));
            check(scheduler.runUntil(DirKv.open(root, scheduler)).value().orElseThrow(), scheduler, batches);
        } finally {
            try (Stream<Path> all = Files.walk(root)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Provide
    Arbitrary<List<Batch>> batches() {
        Arbitrary<Key> keys = Arbitraries.of(KEYS.subList(1, KEYS.size()));
        Arbitrary<Bytes> values = Arbitraries.bytes().array(byte[].class).ofMaxSize(8).map(Bytes::of);
        Arbitrary<Change> set = Combinators.combine(keys, values).as(Change.Set::new);
        Arbitrary<Change> remove = keys.map(Change.Remove::new);
        Arbitrary<Change> removeAll = Arbitraries.just(new Change.Remove(Key.ROOT));
        Arbitrary<Change> change = Arbitraries.frequencyOf(
                Tuple.of(12, set), Tuple.of(6, remove), Tuple.of(1, removeAll));
        Arbitrary<Batch> batch = change.list().ofMinSize(0).ofMaxSize(5).map(c -> new Batch("property", "random", c));
        return batch.list().ofMinSize(1).ofMaxSize(8);
    }

    private static void check(Kv kv, SimScheduler scheduler, List<Batch> batches) {
        KvModel model = new KvModel();
        for (Batch batch : batches) {
            KvModel.Result expected = model.apply(batch);
            Result<?, KvError> actual = run(scheduler, kv.commit(batch));
            assertEquals(expected.error(), error(actual), "commit of " + batch.changes());
            model = expected.model();
            assertSameContent(model, kv, scheduler);
        }
        scheduler.runUntil(kv.close());
    }

    private static void assertSameContent(KvModel model, Kv kv, SimScheduler scheduler) {
        for (Key key : KEYS) {
            assertEquals(model.kind(key), run(scheduler, kv.exists(key)).orElseThrow(), "exists " + key);
            Optional<Bytes> value = Optional.ofNullable(model.values().get(key));
            assertEquals(value, run(scheduler, kv.get(key)).map(Optional::of).orElse(Optional.empty()), "get " + key);
        }
        for (Key dictionary : model.dictionaries()) {
            List<Entry> expected = model.children(dictionary).entrySet().stream()
                    .map(e -> new Entry(e.getKey(), e.getValue()))
                    .toList();
            assertEquals(expected, run(scheduler, kv.list(dictionary)).orElseThrow(), "list " + dictionary);
        }
    }

    private static <T> T run(SimScheduler scheduler, Promise<T> promise) {
        return scheduler.runUntil(promise).value();
    }

    private static Optional<KvError> error(Result<?, KvError> result) {
        return result instanceof Result.Err<?, KvError>(KvError e) ? Optional.of(e) : Optional.empty();
    }

    private static List<Key> keys(int depth) {
        List<Key> keys = new ArrayList<>(List.of(Key.ROOT));
        for (int i = 0; i < keys.size(); i++) {
            Key k = keys.get(i);
            if (k.depth() < depth) {
                SEGMENTS.forEach(s -> keys.add(k.child(s)));
            }
        }
        return List.copyOf(keys);
    }
}
