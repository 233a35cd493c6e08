package jmirage.launcher;

import jmirage.kv.MemKv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.sim.SimScheduler;
import jmirage.sim.VirtualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvSpecTest {

    @TempDir
    Path folder;

    private final SimScheduler scheduler = new SimScheduler(new VirtualClock(VirtualClock.DEFAULT_START));

    @Test
    void aStoreIsNamedByItsAbsoluteLocationAndLockedThroughAFileOfItsOwn() {
        Path here = Path.of("").toAbsolutePath();
        KvSpec dir = KvSpec.parse("dir:var/../zones").orElseThrow().absolute();
        assertEquals(new KvSpec.Dir(here.resolve("zones")), dir);
        assertEquals("dir:" + here.resolve("zones"), dir.location());
        assertEquals(Optional.of(here.resolve("zones/.kv-lock")), dir.lockFile());
        KvSpec git = KvSpec.parse("git:/srv/data.git#live?remote=https://bot:s3cret@example.org/data.git").orElseThrow().absolute();
        assertEquals("git:/srv/data.git#live, remote https://example.org/data.git", git.location(), "no password in a log");
        assertEquals(Optional.of(Path.of("/srv/data.git/jmirage.lock")), git.lockFile());
        KvSpec block = KvSpec.parse("block:/srv/store.img").orElseThrow();
        assertEquals(Optional.of(Path.of("/srv/store.img.lock")), block.lockFile());
        assertEquals(Optional.empty(), new KvSpec.Mem().lockFile());
        assertEquals("mem", new KvSpec.Mem().location());
    }

    @Test
    void aStoreExistsWhenItsFolderRepositoryOrImageIsThere() throws Exception {
        assertTrue(new KvSpec.Mem().exists());
        assertEquals(false, new KvSpec.Dir(folder.resolve("d")).exists());
        Files.createDirectories(folder.resolve("d"));
        assertTrue(new KvSpec.Dir(folder.resolve("d")).exists());
        assertEquals(false, new KvSpec.Git(folder.resolve("d"), "main", Optional.empty()).exists(), "a folder is no repository");
        Files.writeString(folder.resolve("d/HEAD"), "ref: refs/heads/main\n");
        assertTrue(new KvSpec.Git(folder.resolve("d"), "main", Optional.empty()).exists());
        assertEquals(false, new KvSpec.BlockFile(folder.resolve("d")).exists(), "a folder is no image");
    }

    @Test
    void parsesTheKnownForms() {
        assertEquals(Result.ok(new KvSpec.Mem()), KvSpec.parse("mem"));
        assertEquals(Result.ok(new KvSpec.Dir(Path.of("/var/lib/zones"))), KvSpec.parse("dir:/var/lib/zones"));
        assertEquals(Result.ok(new KvSpec.Dir(Path.of("relative/path"))), KvSpec.parse("dir:relative/path"));
        assertEquals(Result.ok(new KvSpec.BlockFile(Path.of("/srv/store.img"))), KvSpec.parse("block:/srv/store.img"));
        assertEquals(Result.ok(new KvSpec.Git(Path.of("/srv/data.git"), "main", java.util.Optional.empty())),
                KvSpec.parse("git:/srv/data.git"));
        assertEquals(Result.ok(new KvSpec.Git(Path.of("data.git"), "live", java.util.Optional.of("ssh://git@example.org/data.git"))),
                KvSpec.parse("git:data.git#live?remote=ssh://git@example.org/data.git"));
        assertEquals(Result.ok(new KvSpec.Git(Path.of("data.git"), "live", java.util.Optional.of("https://example.org/data.git"))),
                KvSpec.parse("git:data.git?remote=https://example.org/data.git#live"), "the issue's order");
        assertEquals(Result.ok(new KvSpec.Git(Path.of("data.git"), "main", java.util.Optional.of("ssh://git@example.org:2222/data.git"),
                        java.util.Optional.of(Path.of("/etc/jmirage/id_ed25519")))),
                KvSpec.parse("git:data.git?remote=ssh://git@example.org:2222/data.git&key=/etc/jmirage/id_ed25519"));
    }

    private static KvSpec.Git git(String path, String branch, String remote, String key) {
        return new KvSpec.Git(Path.of(path), branch, Optional.ofNullable(remote), Optional.ofNullable(key).map(Path::of));
    }

    @Test
    void aRemoteUrlMayHoldEscapesQuestionMarksAndHashes() {
        assertEquals(Result.ok(git("data.git", "main", "https://example.org/repo.git?token=abc", null)),
                KvSpec.parse("git:data.git?remote=https://example.org/repo.git?token=abc"), "a ? inside the query needs no escape");
        assertEquals(Result.ok(git("data.git", "live", "https://example.org/r.git?a=1&b=2#frag", null)),
                KvSpec.parse("git:data.git?remote=https://example.org/r.git?a=1%26b=2%23frag#live"), "& and # of the URL escaped");
        assertEquals(Result.ok(git("data.git", "live", "https://example.org/r.git#x", null)),
                KvSpec.parse("git:data.git#live?remote=https://example.org/r.git#x"), "after #branch?, the query runs to the end");
        assertEquals(Result.ok(git("data.git", "main", "https://user:p%40ss@example.org/r.git", null)),
                KvSpec.parse("git:data.git?remote=https://user:p%2540ss@example.org/r.git"), "%25 is a literal %, kept for the URL");
        assertEquals(Result.ok(git("data.git", "main", "ssh://git@example.org/r.git", "/etc/my keys/id_ed25519")),
                KvSpec.parse("git:data.git?remote=ssh://git@example.org/r.git&key=/etc/my%20keys/id_ed25519"));
        assertEquals(Result.ok(git("/srv/my repo.git", "feature/x", null, null)), KvSpec.parse("git:/srv/my repo.git#feature/x"));
    }

    @Test
    void pathsMayHoldSpacesAndEscapes() {
        assertEquals(Result.ok(new KvSpec.Dir(Path.of("/var/lib/my zones"))), KvSpec.parse("dir:/var/lib/my zones"));
        assertEquals(Result.ok(new KvSpec.Dir(Path.of("/var/lib/my zones"))), KvSpec.parse("dir:/var/lib/my%20zones"));
        assertEquals(Result.ok(new KvSpec.BlockFile(Path.of("/srv/a#b?.img"))), KvSpec.parse("block:/srv/a%23b%3F.img"));
        assertEquals(Result.ok(new KvSpec.Dir(Path.of("/srv/100%"))), KvSpec.parse("dir:/srv/100%25"));
        assertEquals(Result.ok(new KvSpec.Dir(Path.of("/srv/café"))), KvSpec.parse("dir:/srv/caf%C3%A9"));
        assertEquals(Result.ok(new KvSpec.Dir(Path.of("/srv/a+b"))), KvSpec.parse("dir:/srv/a+b"), "+ is no space here");
    }

    private static KvSpecError error(String spec) {
        return switch (KvSpec.parse(spec)) {
            case Result.Err<KvSpec, KvSpecError>(KvSpecError e) -> e;
            case Result.Ok<KvSpec, KvSpecError>(KvSpec ok) -> throw new AssertionError(spec + " parsed as " + ok);
        };
    }

    @Test
    void eachMistakeIsItsOwnError() {
        for (String wrong : new String[] {"", "memory", "gitt:/x", "MEM", "dir", "block", "git", "mem:x"}) {
            assertEquals(new KvSpecError.UnknownForm(wrong), error(wrong));
            assertTrue(error(wrong).describe().contains(KvSpec.FORMS), error(wrong).describe());
        }
        assertEquals(new KvSpecError.MissingPath("dir:", "dir"), error("dir:"));
        assertEquals(new KvSpecError.MissingPath("block:", "block"), error("block:"));
        assertEquals(new KvSpecError.MissingPath("git:#live", "git"), error("git:#live"));
        assertEquals(new KvSpecError.BadPath("dir:/a%00b", "/a\0b", "Nul character not allowed"), error("dir:/a%00b"));
        assertEquals(new KvSpecError.NoOptions("dir:/a#b", "dir", '#'), error("dir:/a#b"));
        assertEquals(new KvSpecError.NoOptions("block:/a?x=1", "block", '?'), error("block:/a?x=1"));
        assertEquals(new KvSpecError.BadBranch("git:x#", ""), error("git:x#"));
        assertEquals(new KvSpecError.BadBranch("git:x#a..b", "a..b"), error("git:x#a..b"));
        assertEquals(new KvSpecError.BadBranch("git:x#a b", "a b"), error("git:x#a b"));
        assertEquals(new KvSpecError.MissingValue("git:x?remote=", "remote"), error("git:x?remote="));
        assertEquals(new KvSpecError.MissingValue("git:x?remote=u&key=", "key"), error("git:x?remote=u&key="));
        assertEquals(new KvSpecError.UnknownOption("git:x?remote=u&depth=1", "depth"), error("git:x?remote=u&depth=1"));
        assertEquals(new KvSpecError.UnknownOption("git:x?", ""), error("git:x?"));
        assertEquals(new KvSpecError.RepeatedOption("git:x?remote=a&remote=b", "remote"), error("git:x?remote=a&remote=b"));
        assertEquals(new KvSpecError.RepeatedOption("git:x?remote=a&key=k&key=l", "key"), error("git:x?remote=a&key=k&key=l"));
        assertEquals(new KvSpecError.KeyWithoutRemote("git:x?key=/k"), error("git:x?key=/k"));
        assertEquals(new KvSpecError.BadEscape("dir:/a%zz", "%zz"), error("dir:/a%zz"));
        assertEquals(new KvSpecError.BadEscape("dir:/a%2", "%2"), error("dir:/a%2"));
        assertEquals(new KvSpecError.BadEscape("git:x?remote=%ff", "%ff"), error("git:x?remote=%ff"), "no UTF-8");
        assertEquals("--kv 'git:x?remote=u&depth=1': unknown option 'depth' (git: takes remote=URL and key=FILE)",
                error("git:x?remote=u&depth=1").describe());
        assertEquals("--kv 'dir:/a#b': dir: takes no '#' (write it %23 in a path)", error("dir:/a#b").describe());
    }

    @Test
    void opensTheBackendItNames() throws Exception {
        Kv mem = scheduler.runUntil(new KvSpec.Mem().open(scheduler.clock(), scheduler)).value().orElseThrow();
        assertInstanceOf(MemKv.class, mem);

        Path root = folder.resolve("store");
        Kv dir = scheduler.runUntil(KvSpec.parse("dir:" + root).orElseThrow().open(scheduler.clock(), scheduler))
                .value().orElseThrow();
        scheduler.runUntil(dir.set(Key.of("a/b"), Bytes.utf8("1"))).value().orElseThrow();
        assertEquals("1", Files.readString(root.resolve("a/b")));
        scheduler.runUntil(dir.close());
    }
}
