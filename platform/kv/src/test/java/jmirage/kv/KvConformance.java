package jmirage.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Entry;
import jmirage.core.kv.EntryKind;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.sim.SimScheduler;
import jmirage.sim.VirtualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kv semantics of platform/kv/README.md, which every backend runs: a backend's test extends
 * this class and says how to open a fresh, empty store.
 */
public abstract class KvConformance {

    /** A fresh, empty store driven by {@code scheduler}. */
    protected abstract Kv open(SimScheduler scheduler);

    /** Closes {@code kv} and opens the same store again; empty for a store that does not persist. */
    protected Optional<Kv> reopen(Kv kv, SimScheduler scheduler) {
        return Optional.empty();
    }

    /** Lets enough time pass for the backend's timestamps to move: virtual time, and a little real time for file times. */
    protected void letTimePass(SimScheduler scheduler) throws InterruptedException {
        scheduler.runFor(Duration.ofSeconds(2));
        Thread.sleep(30);
    }

    protected SimScheduler scheduler;
    protected Kv kv;

    @BeforeEach
    void openStore() {
        scheduler = new SimScheduler(new VirtualClock(VirtualClock.DEFAULT_START));
        kv = open(scheduler);
    }

    @AfterEach
    void closeStore() {
        await(kv.close());
    }

    protected <T> T await(Promise<T> promise) {
        return scheduler.runUntil(promise).value();
    }

    protected <T> T ok(Promise<Result<T, KvError>> promise) {
        return switch (await(promise)) {
            case Result.Ok<T, KvError>(T value) -> value;
            case Result.Err<T, KvError>(KvError error) -> fail("expected Ok, got " + error.describe());
        };
    }

    protected <T> KvError err(Promise<Result<T, KvError>> promise) {
        return switch (await(promise)) {
            case Result.Ok<T, KvError>(T value) -> fail("expected an error, got " + value);
            case Result.Err<T, KvError>(KvError error) -> error;
        };
    }

    protected static Key key(String path) {
        return Key.of(path);
    }

    protected static Bytes text(String s) {
        return Bytes.utf8(s);
    }

    protected void set(String path, String value) {
        ok(kv.set(key(path), text(value)));
    }

    protected Optional<EntryKind> exists(String path) {
        return ok(kv.exists(key(path)));
    }

    @Test
    void getReturnsWhatWasSet() {
        set("a", "1");
        set("b/c", "2");
        assertEquals(text("1"), ok(kv.get(key("a"))));
        assertEquals(text("2"), ok(kv.get(key("b/c"))));
    }

    @Test
    void setReplacesAValue() {
        set("a", "1");
        set("a", "2");
        assertEquals(text("2"), ok(kv.get(key("a"))));
    }

    @Test
    void getOfNothingIsNotFound() {
        set("a", "1");
        assertEquals(new KvError.NotFound(key("b")), err(kv.get(key("b"))));
        assertEquals(new KvError.NotFound(key("a/b")), err(kv.get(key("a/b"))));
    }

    @Test
    void getOfADictionaryIsNotAValue() {
        set("a/b", "1");
        assertEquals(new KvError.NotAValue(key("a")), err(kv.get(key("a"))));
    }

    @Test
    void setUnderAValueIsNotADictionary() {
        set("a", "1");
        assertEquals(new KvError.NotADictionary(key("a")), err(kv.set(key("a/b/c"), text("2"))));
        assertEquals(text("1"), ok(kv.get(key("a"))));
    }

    @Test
    void setOverADictionaryIsNotAValue() {
        set("a/b", "1");
        assertEquals(new KvError.NotAValue(key("a")), err(kv.set(key("a"), text("2"))));
        assertEquals(text("1"), ok(kv.get(key("a/b"))));
    }

    @Test
    void setCreatesTheDictionariesAbove() {
        set("a/b/c", "1");
        assertEquals(Optional.of(EntryKind.DICTIONARY), exists("a"));
        assertEquals(Optional.of(EntryKind.DICTIONARY), exists("a/b"));
        assertEquals(Optional.of(EntryKind.VALUE), exists("a/b/c"));
        assertEquals(Optional.empty(), exists("a/b/c/d"));
        assertEquals(Optional.empty(), exists("x"));
    }

    @Test
    void listGivesTheDirectChildrenSortedWithTheirKinds() {
        set("z", "1");
        set("b/x", "2");
        set("a", "3");
        set("m/y/z", "4");
        set("B", "5");
        assertEquals(List.of(
                new Entry(key("B"), EntryKind.VALUE),
                new Entry(key("a"), EntryKind.VALUE),
                new Entry(key("b"), EntryKind.DICTIONARY),
                new Entry(key("m"), EntryKind.DICTIONARY),
                new Entry(key("z"), EntryKind.VALUE)), ok(kv.list(Key.ROOT)));
        assertEquals(List.of(new Entry(key("m/y"), EntryKind.DICTIONARY)), ok(kv.list(key("m"))));
    }

    @Test
    void listOfAValueOrOfNothingFails() {
        set("a", "1");
        assertEquals(new KvError.NotADictionary(key("a")), err(kv.list(key("a"))));
        assertEquals(new KvError.NotFound(key("b")), err(kv.list(key("b"))));
    }

    @Test
    void removingTheLastChildRemovesTheEmptyDictionaries() {
        set("a/b/c", "1");
        set("x", "2");
        ok(kv.remove(key("a/b/c")));
        assertEquals(new KvError.NotFound(key("a/b/c")), err(kv.get(key("a/b/c"))));
        assertEquals(Optional.empty(), exists("a/b"));
        assertEquals(Optional.empty(), exists("a"));
        assertEquals(List.of(new Entry(key("x"), EntryKind.VALUE)), ok(kv.list(Key.ROOT)));
    }

    @Test
    void removingOneOfSeveralChildrenKeepsTheDictionary() {
        set("a/b", "1");
        set("a/c", "2");
        ok(kv.remove(key("a/b")));
        assertEquals(List.of(new Entry(key("a/c"), EntryKind.VALUE)), ok(kv.list(key("a"))));
    }

    @Test
    void removingNothingIsNotAnError() {
        set("a", "1");
        ok(kv.remove(key("missing")));
        ok(kv.remove(key("a/under-a-value")));
        assertEquals(text("1"), ok(kv.get(key("a"))));
    }

    @Test
    void removingADictionaryRemovesItsSubtree() {
        set("a/b", "1");
        set("a/c/d", "2");
        set("ab", "3");
        set("a-b", "4");
        ok(kv.remove(key("a")));
        assertEquals(Optional.empty(), exists("a"));
        assertEquals(Optional.empty(), exists("a/c/d"));
        assertEquals(text("3"), ok(kv.get(key("ab"))));
        assertEquals(text("4"), ok(kv.get(key("a-b"))));
    }

    @Test
    void equalContentHasEqualDigests() {
        set("x/a", "1");
        set("x/b/c", "2");
        set("y/b/c", "2");
        set("y/a", "1");
        assertEquals(ok(kv.digest(key("x"))), ok(kv.digest(key("y"))));
        assertEquals(ok(kv.digest(key("x/a"))), ok(kv.digest(key("y/a"))));
        assertNotEquals(ok(kv.digest(key("x/a"))), ok(kv.digest(key("x/b/c"))));
    }

    @Test
    void digestChangesWithTheContentBelow() {
        set("x/a", "1");
        set("x/b/c", "2");
        Bytes before = ok(kv.digest(key("x")));
        Bytes rootBefore = ok(kv.digest(Key.ROOT));
        set("x/b/c", "3");
        assertNotEquals(before, ok(kv.digest(key("x"))));
        assertNotEquals(rootBefore, ok(kv.digest(Key.ROOT)));
        set("x/b/c", "2");
        assertEquals(before, ok(kv.digest(key("x"))));
        ok(kv.commit(batch(new Change.Remove(key("x/b/c")), new Change.Set(key("x/b/d"), text("2")))));
        assertNotEquals(before, ok(kv.digest(key("x"))), "a renamed child changes the digest");
        assertEquals(new KvError.NotFound(key("nothing")), err(kv.digest(key("nothing"))));
    }

    @Test
    void lastModifiedFollowsChanges() throws InterruptedException {
        set("a/b", "1");
        Instant b = ok(kv.lastModified(key("a/b")));
        assertTrue(!ok(kv.lastModified(key("a"))).isBefore(b), "a dictionary is as new as its newest child");
        letTimePass(scheduler);
        set("a/c", "2");
        Instant c = ok(kv.lastModified(key("a/c")));
        assertTrue(c.isAfter(b), c + " after " + b);
        assertEquals(b, ok(kv.lastModified(key("a/b"))), "an untouched value keeps its time");
        assertTrue(!ok(kv.lastModified(key("a"))).isBefore(c));
        assertTrue(!ok(kv.lastModified(Key.ROOT)).isBefore(c));
        letTimePass(scheduler);
        ok(kv.remove(key("a/c")));
        assertTrue(ok(kv.lastModified(key("a"))).isAfter(c), "a removal below changes a dictionary");
        assertEquals(new KvError.NotFound(key("a/c")), err(kv.lastModified(key("a/c"))));
    }

    @Test
    void aBatchWithAnInvalidChangeChangesNothing() {
        set("x", "old");
        set("p/q", "kept");
        Batch batch = batch(
                new Change.Set(key("n"), text("1")),
                new Change.Remove(key("x")),
                new Change.Set(key("n/under"), text("2")),
                new Change.Set(key("r"), text("3")));
        assertEquals(new KvError.NotADictionary(key("n")), err(kv.commit(batch)));
        assertEquals(text("old"), ok(kv.get(key("x"))));
        assertEquals(Optional.empty(), exists("n"));
        assertEquals(Optional.empty(), exists("r"));
        assertEquals(text("kept"), ok(kv.get(key("p/q"))));
        assertEquals(new KvError.NotAValue(key("p")), err(kv.commit(batch(
                new Change.Remove(key("x")), new Change.Set(key("p"), text("4"))))));
        assertEquals(text("old"), ok(kv.get(key("x"))));
    }

    @Test
    void aBatchAppliesItsChangesInOrder() {
        ok(kv.commit(batch(new Change.Set(key("k"), text("1")), new Change.Remove(key("k")))));
        assertEquals(Optional.empty(), exists("k"));
        ok(kv.commit(batch(new Change.Remove(key("k")), new Change.Set(key("k"), text("2")))));
        assertEquals(text("2"), ok(kv.get(key("k"))));
        ok(kv.commit(batch(new Change.Set(key("k"), text("3")), new Change.Set(key("k"), text("4")))));
        assertEquals(text("4"), ok(kv.get(key("k"))));
        // a value becomes a dictionary and back within one batch
        ok(kv.commit(batch(new Change.Remove(key("k")), new Change.Set(key("k/e"), text("5")))));
        assertEquals(text("5"), ok(kv.get(key("k/e"))));
        ok(kv.commit(batch(new Change.Remove(key("k")), new Change.Set(key("k"), text("6")))));
        assertEquals(text("6"), ok(kv.get(key("k"))));
        ok(kv.commit(batch()));
        assertEquals(text("6"), ok(kv.get(key("k"))));
    }

    @Test
    void operationsAreAnsweredInTheOrderIssued() {
        Promise<Result<Unit, KvError>> first = kv.set(key("k"), text("1"));
        Promise<Result<Bytes, KvError>> read = kv.get(key("k"));
        Promise<Result<Unit, KvError>> second = kv.remove(key("k"));
        Promise<Result<Optional<EntryKind>, KvError>> gone = kv.exists(key("k"));
        assertEquals(Optional.empty(), ok(gone));
        assertTrue(first.isDone() && second.isDone());
        assertEquals(text("1"), ok(read));
    }

    @Test
    void valuesMayBeEmpty() {
        ok(kv.set(key("e"), Bytes.EMPTY));
        assertEquals(Bytes.EMPTY, ok(kv.get(key("e"))));
        assertEquals(Optional.of(EntryKind.VALUE), exists("e"));
    }

    @Test
    void valuesAreBinary() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        ok(kv.set(key("bin"), Bytes.of(all)));
        assertEquals(Bytes.of(all), ok(kv.get(key("bin"))));
    }

    @Test
    void valuesMayBeLarge() {
        byte[] large = new byte[5 * 1024 * 1024 + 7];
        new SplittableRandom(42).nextBytes(large);
        ok(kv.set(key("big/blob"), Bytes.of(large)));
        assertEquals(Bytes.of(large), ok(kv.get(key("big/blob"))));
        large[0]++;
        ok(kv.set(key("big/other"), Bytes.of(large)));
        assertNotEquals(ok(kv.digest(key("big/blob"))), ok(kv.digest(key("big/other"))), "one byte apart");
    }

    @Test
    void theRootIsAlwaysADictionary() {
        assertEquals(Optional.of(EntryKind.DICTIONARY), ok(kv.exists(Key.ROOT)));
        assertEquals(List.of(), ok(kv.list(Key.ROOT)));
        Bytes empty = ok(kv.digest(Key.ROOT));
        assertEquals(new KvError.NotAValue(Key.ROOT), err(kv.get(Key.ROOT)));
        assertTrue(err(kv.set(Key.ROOT, text("1"))) instanceof KvError.InvalidKey);
        set("a/b", "1");
        set("c", "2");
        ok(kv.remove(Key.ROOT));
        assertEquals(List.of(), ok(kv.list(Key.ROOT)));
        assertEquals(Optional.of(EntryKind.DICTIONARY), ok(kv.exists(Key.ROOT)));
        assertEquals(empty, ok(kv.digest(Key.ROOT)));
        ok(kv.lastModified(Key.ROOT));
    }

    @Test
    void everyOperationAfterCloseIsClosed() {
        set("a", "1");
        await(kv.close());
        KvError closed = new KvError.Closed();
        assertEquals(closed, err(kv.get(key("a"))));
        assertEquals(closed, err(kv.exists(key("a"))));
        assertEquals(closed, err(kv.list(Key.ROOT)));
        assertEquals(closed, err(kv.lastModified(key("a"))));
        assertEquals(closed, err(kv.digest(key("a"))));
        assertEquals(closed, err(kv.set(key("b"), text("2"))));
        assertEquals(closed, err(kv.remove(key("a"))));
    }

    @Test
    void committedChangesSurviveAReopen() {
        set("a/b", "1");
        set("c", "2");
        ok(kv.remove(key("c")));
        Optional<Kv> again = reopen(kv, scheduler);
        assumeTrue(again.isPresent(), "this store does not persist");
        kv = again.get();
        assertEquals(text("1"), ok(kv.get(key("a/b"))));
        assertEquals(Optional.empty(), exists("c"));
        assertEquals(List.of(new Entry(key("a"), EntryKind.DICTIONARY)), ok(kv.list(Key.ROOT)));
    }

    protected static Batch batch(Change... changes) {
        return new Batch("test", "conformance", List.of(changes));
    }
}
