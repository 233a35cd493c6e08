package jmirage.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromiseTest {

    @Test
    void callbacksRegisteredBeforeResolutionRunOnResolveInOrder() {
        Promise<Integer> p = Promise.pending();
        List<String> seen = new ArrayList<>();
        p.onSuccess(v -> seen.add("a" + v));
        p.onSuccess(v -> seen.add("b" + v));
        assertTrue(seen.isEmpty());
        assertTrue(p.resolve(7));
        assertEquals(List.of("a7", "b7"), seen);
    }

    @Test
    void settlingTwiceChangesNothing() {
        Promise<Integer> p = Promise.pending();
        assertTrue(p.resolve(1));
        assertFalse(p.resolve(2));
        assertFalse(p.reject(new RuntimeException("late")));
        assertEquals(1, p.value());
    }

    @Test
    void mapAndFlatMapChainValues() {
        Promise<Integer> source = Promise.pending();
        Promise<Integer> inner = Promise.pending();
        Promise<String> chained = source.map(v -> v + 1).flatMap(v -> inner.map(w -> v + ":" + w));
        source.resolve(1);
        assertFalse(chained.isDone());
        inner.resolve(9);
        assertEquals("2:9", chained.value());
    }

    @Test
    void anExceptionInMapRejectsTheDerivedPromise() {
        IllegalStateException bug = new IllegalStateException("bug");
        Promise<Integer> mapped = Promise.resolved(1).map(v -> {
            throw bug;
        });
        assertSame(bug, mapped.failure());
    }

    @Test
    void rejectionSkipsMapAndReachesRecover() {
        Promise<Integer> p = Promise.<Integer>rejected(new RuntimeException("io"))
                .map(v -> v * 2)
                .recover(e -> -1);
        assertEquals(-1, p.value());
    }

    @Test
    void valueOfPendingOrRejectedPromiseIsABug() {
        assertThrows(IllegalStateException.class, () -> Promise.pending().value());
        assertThrows(IllegalStateException.class, () -> Promise.rejected(new RuntimeException()).value());
    }

    @Test
    void allKeepsOrderAndWaitsForEveryone() {
        Promise<String> a = Promise.pending();
        Promise<String> b = Promise.pending();
        Promise<List<String>> all = Promise.all(List.of(a, b));
        b.resolve("b");
        assertFalse(all.isDone());
        a.resolve("a");
        assertEquals(List.of("a", "b"), all.value());
        assertEquals(List.of(), Promise.all(List.<Promise<String>>of()).value());
    }

    @Test
    void allRejectsWithTheFirstFailure() {
        Promise<String> a = Promise.pending();
        RuntimeException boom = new RuntimeException("boom");
        Promise<List<String>> all = Promise.all(List.of(a, Promise.rejected(boom)));
        assertSame(boom, all.failure());
    }

    /** A loop written as "write, then on completion write again" over settled promises must not overflow. */
    @Test
    void longChainsOfSettledPromisesDoNotGrowTheStack() {
        int[] count = {0};
        Runnable[] step = new Runnable[1];
        step[0] = () -> {
            if (++count[0] < 1_000_000) {
                Promise.resolved(count[0]).onSuccess(v -> step[0].run());
            }
        };
        step[0].run();
        assertEquals(1_000_000, count[0]);

        Promise<Integer> chain = Promise.resolved(0);
        for (int i = 0; i < 100_000; i++) {
            chain = chain.flatMap(v -> Promise.resolved(v + 1));
        }
        assertEquals(100_000, chain.value());
    }

    @Test
    void aThrowingCallbackDoesNotStopTheOthers() {
        Promise<Integer> p = Promise.pending();
        List<Integer> seen = new ArrayList<>();
        p.onSuccess(v -> {
            throw new IllegalStateException("bug in a callback");
        });
        p.onSuccess(seen::add);
        IllegalStateException bug = assertThrows(IllegalStateException.class, () -> p.resolve(3));
        assertEquals("bug in a callback", bug.getMessage());
        assertEquals(List.of(3), seen);
    }
}
