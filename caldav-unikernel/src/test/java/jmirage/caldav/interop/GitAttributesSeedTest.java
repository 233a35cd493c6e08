package jmirage.caldav.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jmirage.caldav.store.Layout;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.RecordingLog;
import jmirage.core.Result;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.KvError;
import jmirage.host.HostClock;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import jmirage.kv.git.GitKv;
import jmirage.testkit.OnLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keep-both rule reaches every git store: a store made before the rule (a calendar, no
 * .gitattributes) gets the file at its next boot, in one commit and one log line; later boots
 * write nothing; a person's own .gitattributes that leaves events out is kept and warned about.
 */
class GitAttributesSeedTest {

    @TempDir
    Path folder;

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    /** Boots our server on the git store at {@code store}, then stops it; the log lines it wrote. */
    private List<String> bootAndStop(Path store) throws Exception {
        InetAddress address = ServerUnderTest.uniqueLoopback();
        OurServer server = OurServer.boot(address, loop -> new HostStack(loop, address), (loop, clock) -> open(loop, clock, store));
        List<String> lines = server.records.stream().map(LogRecord::message).toList();
        server.close();
        return lines;
    }

    private GitKv open(HostScheduler loop, HostClock clock, Path store) throws Exception {
        Result<GitKv, KvError> opened = OnLoop.await(loop, () -> GitKv.open(GitKv.Options.local(store), loop, clock,
                new RecordingLog("kv", LogLevel.INFO, clock, records::add)));
        return opened.orElseThrow();
    }

    /** The commits of the store at {@code store} that changed {@code .gitattributes}. */
    private List<GitKv.Revision> attributeCommits(Path store) throws Exception {
        HostScheduler loop = HostScheduler.start("history");
        try {
            GitKv kv = open(loop, new HostClock(), store);
            List<GitKv.Revision> revisions = OnLoop.await(loop, () -> kv.history(Layout.GIT_ATTRIBUTES, 10)).orElseThrow();
            OnLoop.await(loop, kv::close);
            return revisions;
        } finally {
            loop.shutdown(Duration.ofSeconds(5));
        }
    }

    private void commitBeforeTheRule(Path store, Change... changes) throws Exception {
        HostScheduler loop = HostScheduler.start("older");
        try {
            GitKv kv = open(loop, new HostClock(), store);
            OnLoop.await(loop, () -> kv.commit(new Batch("operator", "an older store", List.of(changes)))).orElseThrow();
            OnLoop.await(loop, kv::close);
        } finally {
            loop.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void anOlderStoreGetsTheRuleOnceAtBoot() throws Exception {
        Path store = folder.resolve("older.git");
        commitBeforeTheRule(store, new Change.Set(Layout.properties(ServerUnderTest.USER, "work"),
                Bytes.utf8("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<collection xmlns=\"DAV:\"/>\n")));
        assertEquals(List.of(), attributeCommits(store));

        List<String> first = bootAndStop(store);
        assertEquals(1, first.stream().filter(l -> l.startsWith("wrote '.gitattributes'")).count(), first::toString);
        List<GitKv.Revision> commits = attributeCommits(store);
        assertEquals(1, commits.size(), commits::toString);
        assertEquals("caldav", commits.getFirst().author());

        List<String> second = bootAndStop(store);
        assertEquals(0, second.stream().filter(l -> l.contains(".gitattributes")).count(), second::toString);
        assertEquals(commits, attributeCommits(store), "no second commit");
    }

    @Test
    void aPersonsOwnAttributesWithoutTheRuleAreKeptAndWarnedAbout() throws Exception {
        Path store = folder.resolve("own.git");
        Bytes own = Bytes.utf8("*.txt text\n*.ics -merge\n");
        commitBeforeTheRule(store, new Change.Set(Layout.GIT_ATTRIBUTES, own));

        List<String> lines = bootAndStop(store);
        assertEquals(1, lines.stream().filter(l -> l.startsWith("'.gitattributes' does not mark *.ics")).count(), lines::toString);
        assertEquals(1, attributeCommits(store).size(), "the person's file stays as it is");
    }
}
