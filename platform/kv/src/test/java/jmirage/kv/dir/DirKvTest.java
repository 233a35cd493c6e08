package jmirage.kv.dir;

import jmirage.kv.MemKv;
import jmirage.kv.KvConformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import jmirage.core.Result;
import jmirage.core.kv.Change;
import jmirage.core.kv.Entry;
import jmirage.core.kv.EntryKind;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.sim.SimScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirKvTest extends KvConformance {

    @TempDir
    Path root;

    @Override
    protected Kv open(SimScheduler scheduler) {
        return openAt(root, scheduler);
    }

    @Override
    protected Optional<Kv> reopen(Kv kv, SimScheduler scheduler) {
        await(kv.close());
        return Optional.of(openAt(root, scheduler));
    }

    private Kv openAt(Path folder, SimScheduler scheduler) {
        return scheduler.runUntil(DirKv.open(folder, scheduler)).value().orElseThrow();
    }

    private void reopen() {
        kv = reopen(kv, scheduler).orElseThrow();
    }

    @Test
    void keysAreFilesAndDictionariesAreFolders() throws IOException {
        set("zones/example.org", "zone data");
        assertEquals("zone data", Files.readString(root.resolve("zones/example.org")));
        ok(kv.remove(key("zones/example.org")));
        assertFalse(Files.exists(root.resolve("zones")), "an emptied folder is removed");
    }

    @Test
    void filesAnOperatorDropsInAreVisible() throws IOException {
        Files.createDirectories(root.resolve("zones"));
        Files.writeString(root.resolve("zones/example.com"), "operator's zone");
        assertEquals(text("operator's zone"), ok(kv.get(key("zones/example.com"))));
        assertEquals(List.of(new Entry(key("zones/example.com"), EntryKind.VALUE)), ok(kv.list(key("zones"))));
        Files.writeString(root.resolve("zones/example.com"), "edited");
        assertEquals(text("edited"), ok(kv.get(key("zones/example.com"))));
    }

    @Test
    void theBackendsOwnNamesAreHiddenAndRefused() throws IOException {
        set("a", "1");
        Files.writeString(root.resolve(".kv-other"), "not a key");
        assertTrue(Files.isDirectory(root.resolve(".kv-tmp")));
        assertEquals(List.of(new Entry(key("a"), EntryKind.VALUE)), ok(kv.list(Key.ROOT)));
        assertTrue(err(kv.get(key(".kv-journal"))) instanceof KvError.InvalidKey);
        assertTrue(err(kv.exists(key(".kv-tmp"))) instanceof KvError.InvalidKey);
        assertTrue(err(kv.set(key(".kv-x/y"), text("2"))) instanceof KvError.InvalidKey);
        assertTrue(err(kv.commit(batch(new Change.Remove(key(".kv-tmp"))))) instanceof KvError.InvalidKey);
        assertTrue(Files.isDirectory(root.resolve(".kv-tmp")));
        set("d/.kv-nested", "3"); // only the root's names are reserved
        assertEquals(text("3"), ok(kv.get(key("d/.kv-nested"))));
        ok(kv.remove(Key.ROOT));
        assertTrue(Files.exists(root.resolve(".kv-other")), "removing everything leaves the backend's own names");
    }

    @Test
    void aReadOnlyOpenReadsRefusesCommitsAndTouchesNothing() throws IOException {
        set("a", "1");
        await(kv.close());
        Files.writeString(root.resolve(".kv-tmp/0"), "a half-written value of a writer at work");
        Kv readOnly = scheduler.runUntil(DirKv.openReadOnly(root, scheduler)).value().orElseThrow();
        assertEquals(text("1"), ok(readOnly.get(key("a"))));
        assertTrue(err(readOnly.commit(new jmirage.core.kv.Batch("check", "a write", List.of(
                new Change.Set(key("a"), text("2")))))) instanceof KvError.Storage);
        assertEquals("1", Files.readString(root.resolve("a")));
        assertTrue(Files.exists(root.resolve(".kv-tmp/0")), "the writer's temporary file stays");
        await(readOnly.close());
    }

    @Test
    void aReadOnlyOpenRefusesAStoreWithABatchInItsJournalAndLeavesIt() throws IOException {
        set("old", "1");
        await(kv.close());
        byte[] pending = journal(new Object[] {"remove", "old"});
        Files.write(root.resolve(".kv-journal"), pending);
        Result<DirKv, KvError> refused = scheduler.runUntil(DirKv.openReadOnly(root, scheduler)).value();
        String reason = ((Result.Err<DirKv, KvError>) refused).error().describe();
        assertTrue(reason.contains("a batch is being written to " + root.toAbsolutePath()), reason);
        assertTrue(Files.exists(root.resolve(".kv-journal")), "the journal is the writer's to replay");
        assertEquals("1", Files.readString(root.resolve("old")));
        Result<DirKv, KvError> missing = scheduler.runUntil(DirKv.openReadOnly(root.resolve("nope"), scheduler)).value();
        assertFalse(missing.isOk());
        assertFalse(Files.exists(root.resolve("nope")), "nothing created");
    }

    @Test
    void aCommittedJournalIsRedoneAtOpen() throws IOException {
        set("old", "1");
        set("d/x", "2");
        await(kv.close());
        // the batch committed (its journal is durable) and a crash came before any file was touched
        Files.write(root.resolve(".kv-journal"), journal(
                new Object[] {"set", "d", "new value of d"},
                new Object[] {"remove", "old"},
                new Object[] {"set", "e/f", ""}));
        kv = open(scheduler);
        assertEquals(text("new value of d"), ok(kv.get(key("d"))));
        assertEquals(Optional.empty(), exists("old"));
        assertEquals(text(""), ok(kv.get(key("e/f"))));
        assertFalse(Files.exists(root.resolve(".kv-journal")));
    }

    @Test
    void aJournalIsRedoneOverAHalfAppliedBatch() throws IOException {
        set("a/b", "1");
        await(kv.close());
        // the crash came after 'a' became a value and before 'a/c' was written
        byte[] journal = journal(
                new Object[] {"remove", "a"},
                new Object[] {"set", "a", "2"},
                new Object[] {"remove", "a"},
                new Object[] {"set", "a/c", "3"});
        Files.write(root.resolve(".kv-journal"), journal);
        Files.delete(root.resolve("a/b"));
        Files.delete(root.resolve("a"));
        Files.writeString(root.resolve("a"), "2");
        kv = open(scheduler);
        assertEquals(List.of(new Entry(key("a"), EntryKind.DICTIONARY)), ok(kv.list(Key.ROOT)));
        assertEquals(List.of(new Entry(key("a/c"), EntryKind.VALUE)), ok(kv.list(key("a"))));
        assertEquals(text("3"), ok(kv.get(key("a/c"))));
    }

    @Test
    void anUncommittedOrCorruptJournalIsDiscarded() throws IOException {
        set("a", "1");
        await(kv.close());
        byte[] corrupt = journal(new Object[] {"set", "a", "2"});
        corrupt[corrupt.length - 6] ^= 1;
        Files.write(root.resolve(".kv-journal"), corrupt);
        Files.write(root.resolve(".kv-journal.tmp"), journal(new Object[] {"set", "b", "3"}));
        Files.writeString(root.resolve(".kv-tmp/0"), "half a value");
        kv = open(scheduler);
        assertEquals(text("1"), ok(kv.get(key("a"))));
        assertEquals(Optional.empty(), exists("b"));
        assertFalse(Files.exists(root.resolve(".kv-journal")));
        assertFalse(Files.exists(root.resolve(".kv-journal.tmp")));
        try (var leftovers = Files.list(root.resolve(".kv-tmp"))) {
            assertEquals(0, leftovers.count());
        }
    }

    @Test
    void aCommitLeavesNoJournalBehind() throws IOException {
        set("a/b", "1");
        try (var names = Files.list(root)) {
            assertEquals(List.of(".kv-tmp", "a"), names.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void itGivesTheSameDigestsAsTheMemoryStore() {
        MemKv mem = new MemKv(scheduler.clock());
        for (String path : List.of("a/b", "a/c/d", "e", "f/g/h/i")) {
            set(path, path.toUpperCase());
            scheduler.runUntil(mem.set(key(path), text(path.toUpperCase())));
        }
        assertEquals(ok(mem.digest(Key.ROOT)), ok(kv.digest(Key.ROOT)));
        assertEquals(ok(mem.digest(key("a"))), ok(kv.digest(key("a"))));
    }

    @Test
    void aFolderThatCannotBeMadeIsAStorageErrorNamingIt() throws IOException {
        Path file = root.resolve("a-file");
        Files.writeString(file, "");
        Result<DirKv, KvError> opened = scheduler.runUntil(DirKv.open(file, scheduler)).value();
        if (!(opened instanceof Result.Err<DirKv, KvError>(KvError.Storage(String detail)))) {
            fail("expected a storage error, got " + opened);
            return;
        }
        assertTrue(detail.contains(file.toString()), detail);
    }

    @Test
    void closingAndOpeningKeepsEverything() {
        set("a", "1");
        reopen();
        set("b", "2");
        reopen();
        assertEquals(text("1"), ok(kv.get(key("a"))));
        assertEquals(text("2"), ok(kv.get(key("b"))));
    }

    /**
     * A journal written by hand from the format in README.md, not by the code under test: "KVJ1",
     * the change count, each change, then a CRC32C of it all.
     */
    private static byte[] journal(Object[]... changes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeBytes("KVJ1");
        out.writeInt(changes.length);
        for (Object[] change : changes) {
            byte[] path = ((String) change[1]).getBytes(StandardCharsets.UTF_8);
            out.writeByte(change[0].equals("set") ? 1 : 2);
            out.writeInt(path.length);
            out.write(path);
            if (change[0].equals("set")) {
                byte[] value = ((String) change[2]).getBytes(StandardCharsets.UTF_8);
                out.writeInt(value.length);
                out.write(value);
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());
        return bytes.toByteArray();
    }
}
