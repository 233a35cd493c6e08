package jmirage.authoritative.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jmirage.authoritative.zone.Zone;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.Promise;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.kv.MemKv;
import jmirage.kv.git.GitKv;
import jmirage.dns.Name;
import jmirage.sim.Simulation;
import jmirage.testkit.Command;
import jmirage.testkit.Sh;
import jmirage.testkit.ZoneFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZoneStoreTest {

    static final Name SAMPLE = Name.of("example.test.");
    static final Duration POLL = Duration.ofSeconds(5);

    final Simulation sim = new Simulation(7);

    <T> T run(Promise<T> p) {
        return sim.scheduler().runUntil(p).value();
    }

    ZoneStore open(Kv kv) {
        return run(ZoneStore.open(kv, java.util.Optional.empty(), sim.scheduler(), sim.log("zones", LogLevel.DEBUG), POLL))
                .orElseThrow();
    }

    List<String> logged(LogLevel level) {
        return sim.records().stream().filter(r -> r.level() == level).map(LogRecord::message).toList();
    }

    static final ZoneFile EXAMPLE_ORG = new ZoneFile("example.org.", "3600 600 86400 60");

    static String zoneText(long serial, String extra) {
        return EXAMPLE_ORG.text(serial, extra);
    }

    static List<String> git(Path repo, String... args) throws Exception {
        jmirage.testkit.Sh.requireCommand("git", "git");
        List<String> cmd = new ArrayList<>(List.of("git", "-C", repo.toString()));
        cmd.addAll(List.of(args));
        return Command.of(cmd).run().ok().out().lines().toList();
    }

    GitKv gitKv(Path repo) {
        return run(GitKv.open(GitKv.Options.local(repo), sim.scheduler(), sim.clock(), sim.log("git", LogLevel.INFO)))
                .orElseThrow();
    }

    @Test
    @Tag("peer")
    void anEmptyGitStoreIsSeededWithTheSampleZoneInOneCommit(@TempDir Path dir) throws Exception {
        Path repo = dir.resolve("zones.git");
        ZoneStore store = open(gitKv(repo));
        Zone sample = store.zones().get(SAMPLE).orElseThrow();
        assertEquals(2026010101L, sample.serial());
        assertEquals(2, store.keys().size());
        assertTrue(store.keys().tsigKey(Name.of("test._update.example.test.")).isPresent());
        assertEquals(List.of("sample zone"), git(repo, "log", "--format=%s"));
        assertEquals(List.of("_keys", "example.test"), git(repo, "ls-tree", "--name-only", "main"));
        assertTrue(logged(LogLevel.WARN).stream().anyMatch(m -> m.contains("SAMPLE zone")));
        // opened again, nothing is seeded twice
        open(gitKv(repo));
        assertEquals(1, git(repo, "log", "--format=%s").size());
    }

    @Test
    @Tag("peer")
    void aCommitIsOneGitCommitWithAuthorAndMessage(@TempDir Path dir) throws Exception {
        Path repo = dir.resolve("zones.git");
        ZoneStore store = open(gitKv(repo));
        Zone before = store.zones().get(SAMPLE).orElseThrow();
        Zone after = before.withChanges(List.of(), List.of(jmirage.dns.Record.in(Name.of("new.example.test."), 60,
                new jmirage.dns.Rdata.Txt(List.of(Bytes.utf8("hello")))))).orElseThrow();
        List<ZoneChange> changes = new ArrayList<>();
        store.subscribe(changes::add);
        assertTrue(run(store.serially(() -> store.commit(after, "test._update.example.test",
                "changed by test._update.example.test from 192.0.2.7"))).isOk());
        assertEquals(List.of("test._update.example.test|changed by test._update.example.test from 192.0.2.7", "unikernel|sample zone"),
                git(repo, "log", "--format=%an|%s"));
        String stored = String.join("\n", git(repo, "show", "main:example.test"));
        assertEquals(after, Zone.parse(stored, SAMPLE).orElseThrow());
        assertEquals(after, store.zones().get(SAMPLE).orElseThrow());
        assertEquals(1, changes.size());
        // our own commit is not taken for an outside change at the next poll
        sim.scheduler().runFor(POLL.multipliedBy(2));
        assertEquals(1, changes.size());
    }

    @Test
    void outsideChangesAreReloadedAndABrokenZoneKeepsTheOldOne() {
        MemKv kv = new MemKv(sim.clock());
        run(kv.set(Key.of("example.org"), Bytes.utf8(zoneText(1, ""))));
        ZoneStore store = open(kv);
        assertEquals(1, store.zones().get(Name.of("example.org.")).orElseThrow().serial());
        assertTrue(store.zones().get(SAMPLE).isEmpty(), "a store with content is not seeded");
        List<ZoneChange> changes = new ArrayList<>();
        store.subscribe(changes::add);

        run(kv.set(Key.of("example.org"), Bytes.utf8(zoneText(2, "www A 192.0.2.80"))));
        sim.scheduler().runFor(POLL.plusSeconds(1));
        assertEquals(2, store.zones().get(Name.of("example.org.")).orElseThrow().serial());
        assertEquals(1, changes.size());

        run(kv.set(Key.of("example.org"), Bytes.utf8(zoneText(3, "www CNAME a\nwww A 192.0.2.1"))));
        sim.scheduler().runFor(POLL.plusSeconds(1));
        assertEquals(2, store.zones().get(Name.of("example.org.")).orElseThrow().serial(), "the old zone keeps serving");
        assertTrue(logged(LogLevel.ERROR).stream().anyMatch(m -> m.contains("zone example.org. refused, still serving serial 2")),
                logged(LogLevel.ERROR).toString());
        assertEquals(1, changes.size());

        run(kv.set(Key.of("example.org"), Bytes.utf8(zoneText(2, "www A 192.0.2.81"))));
        sim.scheduler().runFor(POLL.plusSeconds(1));
        assertTrue(logged(LogLevel.WARN).stream().anyMatch(m -> m.contains("did not grow")));
        assertEquals(2, changes.size());

        run(kv.set(Key.of("example.net"), Bytes.utf8(zoneText(5, "").replace("example.org.", "example.net."))));
        run(kv.remove(Key.of("example.org")));
        sim.scheduler().runFor(POLL.plusSeconds(1));
        assertTrue(store.zones().get(Name.of("example.org.")).isEmpty());
        assertEquals(5, store.zones().get(Name.of("example.net.")).orElseThrow().serial());

        run(kv.set(Key.of("_keys"), Bytes.utf8("a._update. DNSKEY 0 3 163 AAAA\n")));
        run(kv.set(Key.of("example.net._keys"), Bytes.utf8("ops._transfer DNSKEY 0 3 165 AAAA\n")));
        sim.scheduler().runFor(POLL.plusSeconds(1));
        assertEquals(2, store.keys().size());
        assertTrue(store.keys().allows(Name.of("ops._transfer.example.net."), jmirage.authoritative.keys.Operation.TRANSFER,
                Name.of("example.net.")), "a zone's own key file, names relative to the zone");
        run(kv.remove(Key.of("example.net._keys")));
        sim.scheduler().runFor(POLL.plusSeconds(1));
        assertEquals(1, store.keys().size());
        run(kv.set(Key.of("_keys"), Bytes.utf8("a._update. DNSKEY 0 3 99 AAAA\n")));
        sim.scheduler().runFor(POLL.plusSeconds(1));
        assertEquals(1, store.keys().size(), "a broken key file keeps the keys it had");
    }

    @Test
    void aChangeGoesBackToTheFileTheZoneCameFrom() {
        MemKv kv = new MemKv(sim.clock());
        run(kv.set(Key.of("Example.ORG."), Bytes.utf8(zoneText(1, ""))));
        ZoneStore store = open(kv);
        Zone z = store.zones().get(Name.of("example.org.")).orElseThrow();
        Zone changed = z.withChanges(List.of(), List.of(jmirage.dns.Record.in(Name.of("x.example.org."), 60,
                new jmirage.dns.Rdata.Txt(List.of(Bytes.utf8("x")))))).orElseThrow();
        assertTrue(run(store.serially(() -> store.commit(changed, "k", "changed by k from 192.0.2.1"))).isOk());
        assertEquals(List.of("Example.ORG."), run(kv.list(Key.ROOT)).orElseThrow().stream().map(e -> e.key().name()).toList());
        assertEquals(changed, Zone.parse(run(kv.get(Key.of("Example.ORG."))).orElseThrow().toUtf8(), Name.of("example.org."))
                .orElseThrow());
    }

    @Test
    void secondaryCopiesSurviveAReopen() {
        MemKv kv = new MemKv(sim.clock());
        run(kv.set(Key.of("example.org"), Bytes.utf8(zoneText(1, ""))));
        ZoneStore store = open(kv);
        Zone copy = Zone.parse(zoneText(9, "").replace("example.org.", "copy.test."), Name.of("copy.test.")).orElseThrow();
        assertTrue(run(store.putSecondary(copy, "transfer")).isOk());
        assertEquals(copy, store.zones().get(Name.of("copy.test.")).orElseThrow());
        ZoneStore again = open(kv);
        assertEquals(copy, again.secondaries().get(Name.of("copy.test.")).orElseThrow());
        assertTrue(again.primaries().get(Name.of("copy.test.")).isEmpty());
        again.expireSecondary(Name.of("copy.test."));
        assertTrue(again.zones().get(Name.of("copy.test.")).isEmpty());
    }

    @Test
    @Tag("peer")
    void anOperatorsGitPushIsServedAfterAPullAndABrokenOneIsRefused(@TempDir Path dir) throws Exception {
        Path remote = dir.resolve("remote.git");
        Path work = dir.resolve("work");
        Files.createDirectories(remote);
        git(remote, "init", "--bare", "-q", "-b", "main");
        git(dir, "clone", "-q", remote.toString(), work.toString());
        Files.writeString(work.resolve("example.org"), zoneText(1, ""));
        git(work, "add", "example.org");
        git(work, "-c", "user.name=op", "-c", "user.email=op@example.org", "commit", "-q", "-m", "zone");
        git(work, "push", "-q", "origin", "HEAD:main");

        GitKv kv = run(GitKv.open(new GitKv.Options(dir.resolve("local.git"), "main", java.util.Optional.of(remote.toString()),
                Duration.ofHours(1)), sim.scheduler(), sim.clock(), sim.log("git", LogLevel.INFO))).orElseThrow();
        ZoneStore store = run(ZoneStore.open(kv, java.util.Optional.of(kv), sim.scheduler(), sim.log("zones", LogLevel.DEBUG),
                Duration.ZERO)).orElseThrow();
        assertEquals(1, store.zones().get(Name.of("example.org.")).orElseThrow().serial());

        Files.writeString(work.resolve("example.org"), zoneText(2, "www A 192.0.2.80"));
        git(work, "-c", "user.name=op", "-c", "user.email=op@example.org", "commit", "-q", "-am", "www");
        git(work, "push", "-q", "origin", "HEAD:main");
        assertTrue(run(store.reload()).isOk());
        assertEquals(2, store.zones().get(Name.of("example.org.")).orElseThrow().serial());

        Files.writeString(work.resolve("example.org"), zoneText(3, "www CNAME x\nwww A 192.0.2.1"));
        git(work, "-c", "user.name=op", "-c", "user.email=op@example.org", "commit", "-q", "-am", "broken");
        git(work, "push", "-q", "origin", "HEAD:main");
        assertTrue(run(store.reload()).isOk());
        assertEquals(2, store.zones().get(Name.of("example.org.")).orElseThrow().serial());
        assertTrue(logged(LogLevel.ERROR).stream().anyMatch(m -> m.contains("refused, still serving serial 2")));

        // a change made here goes to the remote as its own commit
        Zone served = store.zones().get(Name.of("example.org.")).orElseThrow();
        Zone changed = served.withChanges(List.of(), List.of(jmirage.dns.Record.in(Name.of("mail.example.org."), 300,
                new jmirage.dns.Rdata.Txt(List.of(Bytes.utf8("from an update")))))).orElseThrow();
        assertTrue(run(store.serially(() -> store.commit(changed, "ops._update.example.org",
                "changed by ops._update.example.org from 192.0.2.9"))).isOk());
        assertTrue(run(kv.push()).isOk());
        assertEquals(List.of("ops._update.example.org|changed by ops._update.example.org from 192.0.2.9"),
                git(remote, "log", "-1", "--format=%an|%s", "main"));

        // a pull that someone else made (KvSync.onExternalChange) is served at once, with no reload asked
        git(work, "pull", "-q", "origin", "main");
        Files.writeString(work.resolve("example.org"), zoneText(4, "www A 192.0.2.81"));
        git(work, "-c", "user.name=op", "-c", "user.email=op@example.org", "commit", "-q", "-am", "fixed");
        git(work, "push", "-q", "origin", "HEAD:main");
        assertTrue(run(kv.pull()).isOk());
        sim.scheduler().runFor(Duration.ofSeconds(1));
        assertEquals(4, store.zones().get(Name.of("example.org.")).orElseThrow().serial());
        store.stop();
    }

    @Test
    void aZoneFileEditedByHandInADirStoreIsPickedUp(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("example.org"), zoneText(1, ""));
        jmirage.kv.dir.DirKv kv = run(jmirage.kv.dir.DirKv.open(dir, sim.scheduler())).orElseThrow();
        ZoneStore store = open(kv);
        assertEquals(1, store.zones().get(Name.of("example.org.")).orElseThrow().serial());
        Files.writeString(dir.resolve("example.org"), zoneText(2, "www A 192.0.2.80"));
        sim.scheduler().runFor(POLL.plusSeconds(1));
        assertEquals(2, store.zones().get(Name.of("example.org.")).orElseThrow().serial());
    }
}
