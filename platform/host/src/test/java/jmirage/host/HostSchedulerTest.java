package jmirage.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.epoll.EpollServerSocketChannel;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import jmirage.core.Promise;
import jmirage.testkit.OnLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.function.Executable;

class HostSchedulerTest {

    private final HostScheduler scheduler = HostScheduler.start("test-loop");

    @AfterEach
    void stop() throws InterruptedException {
        assertTrue(scheduler.shutdown(Duration.ofSeconds(10)));
    }

    @Test
    void executeRunsTasksOnTheLoopInOrder() throws Exception {
        List<Integer> order = new ArrayList<>();
        CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            scheduler.execute(() -> order.add(n));
        }
        scheduler.execute(() -> onLoop.complete(scheduler.inLoop()));
        assertTrue(onLoop.get(10, TimeUnit.SECONDS));
        assertFalse(scheduler.inLoop());
        assertEquals(100, order.size());
        for (int i = 0; i < 100; i++) {
            assertEquals(i, order.get(i));
        }
    }

    @Test
    void detachRunsOffTheLoopAndSettlesOnIt() throws Exception {
        CompletableFuture<Boolean> settledOnLoop = new CompletableFuture<>();
        String value = OnLoop.await(scheduler, () -> {
            Promise<String> detached = scheduler.detach(() -> scheduler.inLoop() ? "on the loop" : "off the loop");
            detached.onComplete((v, e) -> settledOnLoop.complete(scheduler.inLoop()));
            return detached;
        });
        assertEquals("off the loop", value);
        assertTrue(settledOnLoop.get(10, TimeUnit.SECONDS));
    }

    @Test
    void detachedFailureRejectsThePromise() {
        Executable run = () -> OnLoop.await(scheduler, () -> scheduler.detach(() -> {
            throw new IOException("disk on fire");
        }));
        ExecutionException thrown = assertThrows(ExecutionException.class, run);
        assertInstanceOf(IOException.class, thrown.getCause());
        assertEquals("disk on fire", thrown.getCause().getMessage());
    }

    @Test
    void scheduledTaskFiresAfterItsDelayAndCancelledOneNever() throws Exception {
        CompletableFuture<Long> fired = new CompletableFuture<>();
        List<String> ran = new ArrayList<>();
        long start = System.nanoTime();
        scheduler.execute(() -> {
            scheduler.schedule(Duration.ofMillis(20), () -> ran.add("cancelled")).cancel();
            scheduler.schedule(Duration.ofMillis(100), () -> fired.complete(System.nanoTime() - start));
        });
        long elapsed = fired.get(10, TimeUnit.SECONDS);
        assertTrue(elapsed >= Duration.ofMillis(100).toNanos(), "fired after " + elapsed + " ns");
        CompletableFuture<List<String>> seen = new CompletableFuture<>();
        scheduler.execute(() -> seen.complete(List.copyOf(ran)));
        assertEquals(List.of(), seen.get(10, TimeUnit.SECONDS));
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void epollLoadsOnLinux() {
        assertEquals(EpollServerSocketChannel.class, scheduler.transport().serverSocket());
    }

    @Test
    void sleepResolvesOnTheLoop() throws Exception {
        assertEquals(true, OnLoop.await(scheduler, () -> scheduler.sleep(Duration.ofMillis(5)).map(u -> scheduler.inLoop())));
    }
}
