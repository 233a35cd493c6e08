package jmirage.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.zip.CRC32;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.FlowError;
import jmirage.core.net.ReadResult;
import jmirage.testkit.OnLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A TCP flow never buffers without bound: the writer waits for the reader at the other end. */
class BackPressureTest {

    private static final int CHUNK = 64 * 1024;
    private static final long MIB = 1024 * 1024;
    /** Kernel socket buffers on loopback plus the flow's 64 KiB high water mark stay far below this. */
    private static final long BOUND = 16 * MIB;
    private static final Bytes[] CHUNKS = chunks();

    /** The transport under test: what the host picks; a subclass runs the same tests on NIO. */
    Transport transport() {
        return Transport.detect();
    }

    private final HostScheduler scheduler = HostScheduler.start("back-pressure-test", transport());
    private final HostStack stack = HostStack.loopback(scheduler);

    @AfterEach
    void stop() throws Exception {
        OnLoop.await(scheduler, stack::close);
        assertTrue(scheduler.shutdown(Duration.ofSeconds(10)));
    }

    @Test
    void aServerThatDoesNotReadHoldsTheWriterBackThenGetsEveryByte() throws Exception {
        long total = 200 * MIB;
        Connection connection = connect();
        Reader reader = new Reader(connection.server, scheduler, Duration.ZERO);
        Writer writer = new Writer(connection.client, total, reader::consumed);
        scheduler.execute(writer::next);

        long stalledAt = waitUntilStalled(writer);
        assertTrue(stalledAt > 0, "the writer got nothing out");
        assertTrue(stalledAt < BOUND, "accepted " + stalledAt + " bytes while nobody read");

        scheduler.execute(reader::next);
        assertEquals(Result.ok(total), reader.done.get(60, TimeUnit.SECONDS));
        assertEquals(Result.ok(), writer.done.get(10, TimeUnit.SECONDS));
        assertEquals(writer.checksum(), reader.checksum());
    }

    @Test
    void aSlowReaderPacesTheWriter() throws Exception {
        long total = 48 * MIB;
        Connection connection = connect();
        Reader reader = new Reader(connection.server, scheduler, Duration.ofMillis(1));
        Writer writer = new Writer(connection.client, total, reader::consumed);
        scheduler.execute(() -> {
            reader.next();
            writer.next();
        });

        assertEquals(Result.ok(total), reader.done.get(60, TimeUnit.SECONDS));
        assertEquals(Result.ok(), writer.done.get(10, TimeUnit.SECONDS));
        assertEquals(writer.checksum(), reader.checksum());
        assertTrue(writer.maxLag < BOUND, "the writer ran " + writer.maxLag + " bytes ahead of the reader");
        assertTrue(writer.waited > 0, "no write ever waited for the reader");
    }

    private record Connection(Flow client, Flow server) {}

    private Connection connect() throws Exception {
        CompletableFuture<Flow> accepted = new CompletableFuture<>();
        Endpoint listening = OnLoop.await(scheduler, () -> stack.listenTcp(0, accepted::complete)).orElseThrow().local();
        Flow client = OnLoop.await(scheduler, () -> stack.connectTcp(listening)).orElseThrow();
        return new Connection(client, accepted.get(10, TimeUnit.SECONDS));
    }

    /** What the writer got accepted once that stopped growing for a while; the writer must not finish. */
    private static long waitUntilStalled(Writer writer) throws InterruptedException {
        long last = -1;
        int unchangedPolls = 0;
        for (int poll = 0; poll < 200 && unchangedPolls < 5; poll++) {
            Thread.sleep(100);
            long now = writer.acceptedSoFar.get();
            unchangedPolls = now == last ? unchangedPolls + 1 : 0;
            last = now;
        }
        assertFalse(writer.done.isDone(), "the writer finished although nobody read");
        return last;
    }

    private static Bytes[] chunks() {
        Random random = new Random(862);
        Bytes[] chunks = new Bytes[7]; // a prime count, so chunk order shows in the checksum
        for (int i = 0; i < chunks.length; i++) {
            byte[] data = new byte[CHUNK];
            random.nextBytes(data);
            chunks[i] = Bytes.adopt(data);
        }
        return chunks;
    }

    /** Writes {@code total} bytes as fast as the flow accepts them, then shuts its output. Loop only. */
    private static final class Writer {
        final Flow flow;
        final long total;
        final LongSupplier consumedByReader;
        final CRC32 crc = new CRC32();
        final CompletableFuture<Result<Unit, FlowError>> done = new CompletableFuture<>();
        final AtomicLong acceptedSoFar = new AtomicLong();
        long accepted;
        long maxLag;
        int waited;

        Writer(Flow flow, long total, LongSupplier consumedByReader) {
            this.flow = flow;
            this.total = total;
            this.consumedByReader = consumedByReader;
        }

        void next() {
            if (accepted >= total) {
                flow.shutdownOutput().onSuccess(done::complete);
                return;
            }
            Bytes chunk = CHUNKS[(int) (accepted / CHUNK % CHUNKS.length)];
            crc.update(chunk.asReadOnlyBuffer());
            Promise<Result<Unit, FlowError>> write = flow.write(chunk);
            if (!write.isDone()) {
                waited++;
            }
            write.onSuccess(written -> {
                if (!written.isOk()) {
                    done.complete(written);
                    return;
                }
                accepted += chunk.size();
                acceptedSoFar.set(accepted);
                maxLag = Math.max(maxLag, accepted - consumedByReader.getAsLong());
                next();
            });
        }

        long checksum() {
            return crc.getValue();
        }
    }

    /** Reads to the end, pausing between reads; counts and checksums what it got. Loop only. */
    private static final class Reader {
        final Flow flow;
        final Scheduler scheduler;
        final Duration pause;
        final CRC32 crc = new CRC32();
        final CompletableFuture<Result<Long, FlowError>> done = new CompletableFuture<>();
        long consumed;

        Reader(Flow flow, Scheduler scheduler, Duration pause) {
            this.flow = flow;
            this.scheduler = scheduler;
            this.pause = pause;
        }

        long consumed() {
            return consumed;
        }

        void next() {
            flow.read().onSuccess(read -> {
                switch (read) {
                    case Result.Ok<ReadResult, FlowError>(ReadResult.Data(Bytes bytes)) -> {
                        consumed += bytes.size();
                        crc.update(bytes.asReadOnlyBuffer());
                        if (pause.isZero()) {
                            next();
                        } else {
                            scheduler.sleep(pause).onSuccess(slept -> next());
                        }
                    }
                    case Result.Ok<ReadResult, FlowError>(ReadResult.Eof eof) -> done.complete(Result.ok(consumed));
                    case Result.Err<ReadResult, FlowError>(FlowError error) -> done.complete(Result.err(error));
                }
            });
        }

        long checksum() {
            return crc.getValue();
        }
    }
}
