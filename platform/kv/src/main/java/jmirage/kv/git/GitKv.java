package jmirage.kv.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import jmirage.core.Bytes;
import jmirage.core.Cancellable;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Entry;
import jmirage.core.kv.EntryKind;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.core.kv.KvHistory;
import jmirage.core.kv.KvSync;
import jmirage.kv.BatchRules;
import jmirage.kv.KeepBothAttributes;
import jmirage.kv.ThreeWayMerge;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * A {@link Kv} in a git repository (JGit), as irmin-git in MirageOS: each batch is one commit on a
 * branch, with the batch's author and message. The repository is bare: {@code git -C PATH log}
 * shows the history. With a remote, the branch is fetched at boot, each commit is pushed (pushes
 * coalesce while one is in flight), and changes from the remote are merged on demand
 * ({@link #pull}) and on a timer; the conflict rule is in platform/kv/README.md and
 * {@link ThreeWayMerge}. Commits another program puts on the branch (a {@code git push} into the
 * repository) are noticed by reading the ref every {@link #WATCH_EVERY} and at each move of the
 * branch, merged by the same rule, and announced to the {@link KvSync#onExternalChange} listeners.
 *
 * <p>{@code digest} is the git object id (blob or tree), {@code lastModified} the committer time
 * of the newest commit that changed the key. All JGit work runs through {@link Scheduler#detach},
 * one operation after another; a push runs beside them.
 */
public final class GitKv implements Kv, KvSync, KvHistory {

    /** One commit in the history of a key. */
    public record Revision(String commit, String author, String message, Instant time) {}

    /** Where and how: the bare repository, the branch, an optional remote and how often to pull it. */
    public record Options(Path path, String branch, Optional<String> remote, Duration pullEvery, Optional<Path> sshKey) {
        public Options {
            if (branch.isEmpty()) {
                throw new IllegalArgumentException("empty branch name");
            }
        }

        /** Without an ssh key (file, git://, http(s):// remotes, or ssh with the user's own setup). */
        public Options(Path path, String branch, Optional<String> remote, Duration pullEvery) {
            this(path, branch, remote, pullEvery, Optional.empty());
        }

        public static Options local(Path path) {
            return new Options(path, "main", Optional.empty(), Duration.ofMinutes(1));
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        Result<T, KvError> run() throws IOException, GitAPIException;
    }

    private static final String REMOTE_PREFIX = "refs/remotes/origin/";
    private static final Duration RETRY_FIRST = Duration.ofSeconds(1);
    private static final Duration RETRY_MOST = Duration.ofMinutes(1);
    /** How often the branch ref is read for commits another program pushed into the repository: a stat of one file. */
    static final Duration WATCH_EVERY = Duration.ofSeconds(5);
    /** How many times a ref held locked by another program is tried, 10 ms more apart each time. */
    private static final int REF_ATTEMPTS = 8;

    private final Repository repo;
    private final Options options;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Log log;
    private final String branchRef;
    private final Instant opened;
    private GitTree tree;
    private ObjectId head;
    private Promise<Unit> tail = Promise.done();
    private boolean closed;
    private Cancellable timer;
    private Cancellable watchTimer;
    private boolean watchFailing; // on the loop only
    // heads of other writers adopted so far (written by the work in order), and how many listeners heard of
    private long externalChanges;
    private long externalChangesTold;
    // pushes: on the loop only
    private boolean pushing;
    private boolean pushAgain;
    private boolean unreachable;
    private Duration retry = RETRY_FIRST;
    private Cancellable retryTimer;
    private final List<Promise<Result<Unit, KvError>>> pushWaiters = new ArrayList<>();
    // on the loop only
    private final List<Runnable> externalChangeListeners = new ArrayList<>();

    private GitKv(Repository repo, Options options, Scheduler scheduler, Clock clock, Log log) {
        this.repo = repo;
        this.options = options;
        this.scheduler = scheduler;
        this.clock = clock;
        this.log = log;
        this.branchRef = Constants.R_HEADS + options.branch();
        this.opened = clock.now();
    }

    /**
     * Opens (or creates) the bare repository at the path; with a remote, fetches the branch first and
     * starts from it if there is nothing local yet, then merges and pushes as usual. An unreachable
     * remote does not stop the boot: the store works locally and pushes when it returns.
     */
    public static Promise<Result<GitKv, KvError>> open(Options options, Scheduler scheduler, Clock clock, Log log) {
        Promise<Result<GitKv, KvError>> opened = scheduler.detach(() -> guarded("open " + options.path(), () -> {
            Path path = options.path().toAbsolutePath();
            Repository repo;
            if (Files.exists(path.resolve("HEAD")) || Files.exists(path.resolve(".git"))) {
                repo = new FileRepositoryBuilder().setGitDir(Files.exists(path.resolve(".git")) ? path.resolve(".git").toFile() : path.toFile())
                        .setMustExist(true).build();
            } else {
                repo = Git.init().setBare(true).setDirectory(path.toFile()).setInitialBranch(options.branch()).call().getRepository();
            }
            // commits are durable when they answer (git's core.fsync): objects and refs are fsynced
            repo.getConfig().setBoolean(ConfigConstants.CONFIG_CORE_SECTION, null, "fsyncObjectFiles", true);
            repo.getConfig().setBoolean(ConfigConstants.CONFIG_CORE_SECTION, null, "fsyncRefFiles", true);
            GitKv kv = new GitKv(repo, options, scheduler, clock, log);
            kv.load();
            return Result.ok(kv);
        }));
        return opened.flatMap(r -> {
            if (!(r instanceof Result.Ok<GitKv, KvError>(GitKv kv))) {
                return Promise.resolved(r);
            }
            kv.watchTimer = scheduler.every(WATCH_EVERY, kv::watch);
            if (options.remote().isEmpty()) {
                return Promise.resolved(r);
            }
            return kv.pull().map(pulled -> {
                if (!pulled.isOk()) {
                    log.warn("git remote " + options.remote().get() + " not reachable at boot, working locally: "
                            + ((Result.Err<Unit, KvError>) pulled).error().describe());
                }
                kv.timer = scheduler.every(options.pullEvery(), () -> kv.pull());
                return r;
            });
        });
    }

    private void load() throws IOException {
        head = repo.resolve(branchRef);
        if (head == null) {
            try (ObjectInserter inserter = repo.newObjectInserter()) {
                tree = GitTree.empty(inserter);
                inserter.flush();
            }
        } else {
            try (RevWalk walk = new RevWalk(repo)) {
                tree = GitTree.read(repo, walk.parseCommit(head).getTree());
            }
        }
    }

    @Override
    public Promise<Result<Bytes, KvError>> get(Key key) {
        return issue("read '" + key + "'", () -> {
            ObjectId blob = tree.blob(key);
            if (blob == null) {
                return Result.err(tree.kind(key).isPresent() ? new KvError.NotAValue(key) : new KvError.NotFound(key));
            }
            return Result.ok(Bytes.adopt(repo.open(blob, Constants.OBJ_BLOB).getBytes(Integer.MAX_VALUE)));
        });
    }

    @Override
    public Promise<Result<Optional<EntryKind>, KvError>> exists(Key key) {
        return issue("look up '" + key + "'", () -> Result.ok(tree.kind(key)));
    }

    @Override
    public Promise<Result<List<Entry>, KvError>> list(Key dictionary) {
        return issue("list '" + dictionary + "'", () -> switch (tree.kind(dictionary).orElse(null)) {
            case DICTIONARY -> Result.ok(tree.children(dictionary));
            case VALUE -> Result.err(new KvError.NotADictionary(dictionary));
            case null -> Result.err(new KvError.NotFound(dictionary));
        });
    }

    @Override
    public Promise<Result<Instant, KvError>> lastModified(Key key) {
        return issue("read the history of '" + key + "'", () -> {
            if (tree.kind(key).isEmpty()) {
                return Result.err(new KvError.NotFound(key));
            }
            if (head == null) {
                return Result.ok(opened);
            }
            List<Revision> last = historyOf(key, 1);
            return Result.ok(last.isEmpty() ? opened : last.getFirst().time());
        });
    }

    @Override
    public Promise<Result<Bytes, KvError>> digest(Key key) {
        return issue("digest '" + key + "'", () -> {
            ObjectId id = tree.blob(key);
            if (id == null && tree.kind(key).isPresent()) {
                id = tree.treeId(key);
            }
            if (id == null) {
                return Result.err(new KvError.NotFound(key));
            }
            byte[] raw = new byte[Constants.OBJECT_ID_LENGTH];
            id.copyRawTo(raw, 0);
            return Result.ok(Bytes.adopt(raw));
        });
    }

    /** The commits that changed {@code key} (a value or a whole dictionary), newest first, at most {@code max}. */
    public Promise<Result<List<Revision>, KvError>> history(Key key, int max) {
        return issue("read the history of '" + key + "'", () -> Result.ok(head == null ? List.<Revision>of() : historyOf(key, max)));
    }

    /**
     * One walk of every commit reachable from the head, each compared with its parents (a tree diff
     * that skips the subtrees they share): a value counts as changed by a commit when it differs from
     * what every parent held there, as {@code git log}'s history simplification has it, so a merge
     * that took one side's version does not re-date it. Created is the oldest such commit's
     * committer time, updated the newest's; only values the head holds are kept.
     */
    @Override
    public Promise<Result<Map<Key, KvHistory.Dates>, KvError>> datesOfEveryValue() {
        return issue("read the history of every value", () -> {
            if (head == null) {
                return Result.ok(Map.of());
            }
            Map<String, Key> wanted = new HashMap<>();
            tree.values().keySet().forEach(k -> wanted.put(k.toString(), k));
            Map<Key, KvHistory.Dates> dates = new HashMap<>();
            try (RevWalk walk = new RevWalk(repo); TreeWalk diff = new TreeWalk(repo)) {
                walk.markStart(walk.parseCommit(head));
                diff.setRecursive(true);
                for (RevCommit c : walk) {
                    Instant time = c.getCommitterIdent().getWhenAsInstant();
                    diff.reset();
                    diff.addTree(c.getTree());
                    for (RevCommit parent : c.getParents()) {
                        walk.parseHeaders(parent);
                        diff.addTree(parent.getTree());
                    }
                    diff.setFilter(c.getParentCount() == 0 ? TreeFilter.ALL : TreeFilter.ANY_DIFF);
                    while (diff.next()) {
                        Key key = wanted.get(diff.getPathString());
                        if (key != null && changedFromEveryParent(diff)) {
                            dates.merge(key, new KvHistory.Dates(time, time), (a, b) -> new KvHistory.Dates(
                                    a.created().isBefore(b.created()) ? a.created() : b.created(),
                                    a.updated().isAfter(b.updated()) ? a.updated() : b.updated()));
                        }
                    }
                }
            }
            return Result.ok(Map.copyOf(dates));
        });
    }

    /** Whether the entry of tree 0 (a commit's) is present and differs from the entry of each other tree (its parents'). */
    private static boolean changedFromEveryParent(TreeWalk diff) {
        if (diff.getRawMode(0) == 0) {
            return false;
        }
        ObjectId ours = diff.getObjectId(0);
        for (int parent = 1; parent < diff.getTreeCount(); parent++) {
            if (diff.getRawMode(parent) != 0 && diff.getObjectId(parent).equals(ours)) {
                return false;
            }
        }
        return true;
    }

    private List<Revision> historyOf(Key key, int max) throws IOException {
        List<Revision> revisions = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repo)) {
            walk.markStart(walk.parseCommit(head));
            if (!key.isRoot()) {
                walk.setTreeFilter(AndTreeFilter.create(PathFilter.create(key.toString()), TreeFilter.ANY_DIFF));
            }
            for (RevCommit c : walk) {
                revisions.add(new Revision(c.name(), c.getAuthorIdent().getName(), c.getFullMessage(),
                        c.getCommitterIdent().getWhenAsInstant()));
                if (revisions.size() >= max) {
                    break;
                }
            }
        }
        return revisions;
    }

    @Override
    public Promise<Result<Unit, KvError>> commit(Batch batch) {
        Promise<Result<Unit, KvError>> done = issue("commit '" + batch.message() + "'", () -> {
            Result<Unit, KvError> verdict = BatchRules.check(batch, tree);
            if (!verdict.isOk() || batch.changes().isEmpty()) {
                return verdict;
            }
            GitTree next = tree.copy();
            TreeSet<Key> dirty = new TreeSet<>();
            ObjectId commit;
            try (ObjectInserter inserter = repo.newObjectInserter()) {
                for (Change change : batch.changes()) {
                    switch (change) {
                        case Change.Set(Key key, Bytes value) ->
                                next.set(key, inserter.insert(Constants.OBJ_BLOB, value.toArray()), dirty);
                        case Change.Remove(Key key) -> next.remove(key, dirty);
                    }
                }
                next.writeTrees(dirty, inserter);
                PersonIdent who = new PersonIdent(batch.author(), "", clock.now(), ZoneOffset.UTC);
                CommitBuilder c = new CommitBuilder();
                c.setTreeId(next.rootTree());
                if (head != null) {
                    c.setParentId(head);
                }
                c.setAuthor(who);
                c.setCommitter(who);
                c.setMessage(batch.message().endsWith("\n") ? batch.message() : batch.message() + "\n");
                commit = inserter.insert(c);
                inserter.flush();
            }
            publish(head, commit, next, "commit: " + firstLine(batch.message()));
            return Result.ok();
        });
        if (options.remote().isPresent()) {
            done.onSuccess(r -> {
                if (r.isOk()) {
                    schedulePush();
                }
            });
        }
        return done;
    }

    /**
     * Moves the branch from {@code expected} to {@code commit} (whose tree is {@code content}) and
     * makes that the store's head. The move is a compare-and-swap on the ref: when another program
     * moved the branch meanwhile (a {@code git push} into the repository), its head is read again and
     * merged with ours by the rule of a pull, and the move is tried again from there; when the ref is
     * only locked for a moment, it is tried again after a pause. Nothing wedges: the head stays the
     * last one that really was the branch.
     */
    private void publish(ObjectId expected, ObjectId commit, GitTree content, String reason) throws IOException {
        for (int attempt = 1; ; attempt++) {
            if (!Objects.equals(commit, expected)) {
                RefUpdate update = repo.updateRef(branchRef);
                update.setNewObjectId(commit);
                update.setExpectedOldObjectId(expected == null ? ObjectId.zeroId() : expected);
                update.setForceUpdate(true); // the expected old value is the guard; a pushed-in rewind is merged over
                update.setRefLogMessage(reason, false);
                RefUpdate.Result result = update.update();
                switch (result) {
                    case NEW, FAST_FORWARD, FORCED, NO_CHANGE -> {}
                    case LOCK_FAILURE, REJECTED, REJECTED_CURRENT_BRANCH, REJECTED_MISSING_OBJECT, REJECTED_OTHER_REASON,
                            IO_FAILURE, NOT_ATTEMPTED, RENAMED -> {
                        ObjectId now = readBranch();
                        if (Objects.equals(now, expected)) {
                            if (attempt >= REF_ATTEMPTS) {
                                throw new IOException("cannot move " + branchRef + " to " + commit.name() + ": " + result
                                        + " " + attempt + " times (is another program holding " + branchRef + ".lock?)");
                            }
                            pause(attempt);
                            continue;
                        }
                        Integrated merged = integrate(commit, content, now, "the commits pushed into " + options.branch());
                        expected = now;
                        commit = merged.commit();
                        content = merged.tree();
                        continue;
                    }
                }
            }
            head = commit;
            tree = content;
            return;
        }
    }

    /** The branch as the repository has it now, read again from disk (another program may have moved it). */
    private ObjectId readBranch() throws IOException {
        repo.getRefDatabase().refresh();
        Ref ref = repo.exactRef(branchRef);
        return ref == null ? null : ref.getObjectId();
    }

    private static void pause(int attempt) throws IOException {
        try {
            Thread.sleep(10L * attempt); // on the worker: a git push holds the ref lock for milliseconds
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + attempt + " ref lock", e);
        }
    }

    /** A head to make the branch, with its tree; {@code external} when it holds commits of another writer. */
    private record Integrated(ObjectId commit, GitTree tree, boolean external) {}

    /**
     * Combines our head {@code ours} (with tree {@code oursTree}) and another writer's {@code theirs}:
     * ours when theirs is already in it, theirs when ours is (a fast-forward), else a merge commit by
     * {@link ThreeWayMerge} with both as parents. Counts an external change when theirs brought
     * anything, so the listeners of {@link #onExternalChange} hear of it on the loop.
     */
    private Integrated integrate(ObjectId ours, GitTree oursTree, ObjectId theirs, String theirName) throws IOException {
        if (theirs == null || theirs.equals(ours)) {
            return new Integrated(ours, oursTree, false);
        }
        Integrated integrated;
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit remote = walk.parseCommit(theirs);
            if (ours == null) {
                integrated = new Integrated(theirs, GitTree.read(repo, remote.getTree()), true);
            } else {
                RevCommit local = walk.parseCommit(ours);
                if (walk.isMergedInto(remote, local)) {
                    return new Integrated(ours, oursTree, false);
                }
                walk.reset();
                if (walk.isMergedInto(local, remote)) {
                    integrated = new Integrated(theirs, GitTree.read(repo, remote.getTree()), true);
                } else {
                    walk.reset();
                    walk.setRevFilter(RevFilter.MERGE_BASE);
                    walk.markStart(walk.parseCommit(ours));
                    walk.markStart(walk.parseCommit(theirs));
                    RevCommit base = walk.next();
                    integrated = mergeCommit(base, local, oursTree, remote, theirName);
                }
            }
        }
        externalChanges++;
        return integrated;
    }

    /**
     * The keys that keep both versions on a conflict, from {@code .gitattributes} at the root
     * ({@link KeepBothAttributes}): ours if we have the file, else theirs; none without it.
     */
    private ThreeWayMerge.KeepOurs<ObjectId> keepBothRule(GitTree oursTree, GitTree theirsTree) throws IOException {
        ObjectId file = oursTree.values().get(KeepBothAttributes.FILE);
        if (file == null) {
            file = theirsTree.values().get(KeepBothAttributes.FILE);
        }
        if (file == null) {
            return ThreeWayMerge.KeepOurs.never();
        }
        return KeepBothAttributes.parse(Bytes.adopt(repo.open(file, Constants.OBJ_BLOB).getBytes(1 << 20)), ObjectId::name);
    }

    /**
     * Writes the merge of whole trees (README, "Conflicts"; the choice is {@link ThreeWayMerge}'s) as
     * a commit with both heads as parents, so the losing side stays in history. Each conflict is logged.
     */
    private Integrated mergeCommit(RevCommit base, RevCommit ours, GitTree oursTree, RevCommit theirs, String theirName)
            throws IOException {
        GitTree theirsTree = GitTree.read(repo, theirs.getTree());
        ThreeWayMerge.Merged<ObjectId> result = ThreeWayMerge.merge(
                base == null ? Map.of() : GitTree.read(repo, base.getTree()).values(),
                oursTree.values(),
                theirsTree.values(),
                keepBothRule(oursTree, theirsTree));
        GitTree merged = oursTree.copy();
        TreeSet<Key> dirty = new TreeSet<>();
        ObjectId commit;
        try (ObjectInserter inserter = repo.newObjectInserter()) {
            merged.remove(Key.ROOT, dirty);
            for (var e : result.values().entrySet()) {
                merged.set(e.getKey(), e.getValue(), dirty);
            }
            merged.writeTrees(dirty, inserter);
            PersonIdent who = new PersonIdent("unikernel", "", clock.now(), ZoneOffset.UTC);
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(merged.rootTree());
            c.setParentIds(ours, theirs);
            c.setAuthor(who);
            c.setCommitter(who);
            c.setMessage("Merge " + theirName + " " + options.branch()
                    + (result.conflicts().isEmpty() ? "" : "\n\nConflicts, resolved for " + theirName + ": "
                    + String.join(", ", result.conflicts().stream().map(k -> k.key().toString()).toList())) + "\n");
            commit = inserter.insert(c);
            inserter.flush();
        }
        for (ThreeWayMerge.Conflict conflict : result.conflicts()) {
            log.warn("git merge conflict with " + theirName + " on '" + conflict.key() + "': " + conflict.describe()
                    + "; ours stays in history at " + ours.name());
        }
        return new Integrated(commit, merged, true);
    }

    /** The watch timer's tick: a failure is logged once, when it starts, and once when it ends. */
    private void watch() {
        refresh().onSuccess(r -> {
            switch (r) {
                case Result.Ok<Unit, KvError> ok when watchFailing -> {
                    watchFailing = false;
                    log.info("git store " + options.path() + ": " + branchRef + " readable again");
                }
                case Result.Ok<Unit, KvError> ok -> {}
                case Result.Err<Unit, KvError>(KvError e) when !watchFailing -> {
                    watchFailing = true;
                    log.warn("git store " + options.path() + ": cannot follow " + branchRef + ", retried: " + e.describe());
                }
                case Result.Err<Unit, KvError> err -> {}
            }
        });
    }

    /**
     * Notices a commit another program put on the branch (a {@code git push} into the repository):
     * reads the ref, and when it moved, loads the new head, merging our commits that it lacks.
     */
    Promise<Result<Unit, KvError>> refresh() {
        Promise<Result<Boolean, KvError>> moved = issue("read " + branchRef, () -> {
            ObjectId now = readBranch();
            if (Objects.equals(now, head)) {
                return Result.ok(false);
            }
            if (now == null) { // the branch was deleted under us: put our head back
                publish(null, head, tree, "restore " + branchRef);
                return Result.ok(false);
            }
            Integrated integrated = integrate(head, tree, now, "the commits pushed into " + options.branch());
            publish(now, integrated.commit(), integrated.tree(), "merge the commits pushed into " + options.branch());
            return Result.ok(true);
        });
        return moved.map(r -> {
            if (r instanceof Result.Ok<Boolean, KvError>(Boolean changed) && changed && options.remote().isPresent()) {
                schedulePush(); // what was pushed into us goes on to the remote, as our own commits do
            }
            return r.map(ignored -> Unit.UNIT);
        });
    }

    /**
     * Fetches the branch from the remote and merges it (a fast-forward when only the remote moved),
     * then pushes what the remote lacks. Resolves with a Storage error if the remote is unreachable.
     */
    @Override
    public Promise<Result<Unit, KvError>> pull() {
        if (options.remote().isEmpty()) {
            return Promise.resolved(Result.ok());
        }
        String remote = options.remote().get();
        Promise<Result<Boolean, KvError>> merged = issue("pull from " + remote, () -> {
            ObjectId theirs;
            try (Git git = new Git(repo)) {
                try {
                    git.fetch().setRemote(remote).setTransportConfigCallback(this::configure)
                            .setRefSpecs(new RefSpec("+" + branchRef + ":" + REMOTE_PREFIX + options.branch()))
                            .setTimeout(30).call();
                    theirs = repo.resolve(REMOTE_PREFIX + options.branch());
                } catch (org.eclipse.jgit.api.errors.TransportException e) {
                    if (unreachable(e) || !reachableWithoutOurBranch(git, remote)) {
                        throw e;
                    }
                    // an empty repository (just made on a forge) or one with other branches only:
                    // nothing to merge, and the push below makes the branch
                    theirs = null;
                }
            }
            Integrated integrated = integrate(head, tree, theirs, remote);
            publish(head, integrated.commit(), integrated.tree(), "merge " + remote);
            return Result.ok(head != null && !head.equals(theirs)); // the remote lacks something: push
        });
        return merged.map(r -> {
            if (r instanceof Result.Ok<Boolean, KvError>(Boolean ahead) && ahead) {
                schedulePush();
            }
            return r.map(ignored -> Unit.UNIT);
        });
    }

    /**
     * Whether a failed fetch says the remote was not reached at all (no such repository, no answer
     * in time, no connection, no such host): then asking it for its branches would only wait again.
     */
    private static boolean unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.eclipse.jgit.errors.NoRemoteRepositoryException || t instanceof java.net.SocketTimeoutException
                    || t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code remote} answers and has no branch of our name: a fetch of a branch a remote
     * lacks fails as an unreachable one does, and only asking it for its branches tells the two apart.
     */
    private boolean reachableWithoutOurBranch(Git git, String remote) {
        try {
            return git.lsRemote().setRemote(remote).setHeads(true).setTransportConfigCallback(this::configure).setTimeout(30).call()
                    .stream().noneMatch(ref -> ref.getName().equals(branchRef));
        } catch (GitAPIException | JGitInternalException | IllegalThreadStateException unreachable) {
            return false;
        }
    }

    /** ssh remotes go through the OpenSSH client with the configured key. */
    private void configure(Transport transport) {
        if (transport instanceof SshTransport ssh) {
            ssh.setSshSessionFactory(new SshCommand(options.sshKey().orElse(null)));
        }
    }

    /** On the loop, after an operation: calls the listeners once if it adopted another writer's commits. */
    private void tellExternalChange() {
        if (externalChanges == externalChangesTold) {
            return;
        }
        externalChangesTold = externalChanges;
        for (Runnable listener : List.copyOf(externalChangeListeners)) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                log.error("a listener of external changes to the git store failed: " + e);
            }
        }
    }

    @Override
    public Cancellable onExternalChange(Runnable listener) {
        externalChangeListeners.add(listener);
        return () -> externalChangeListeners.remove(listener);
    }

    /** Resolves once everything committed so far has reached the remote (or at once without one). */
    @Override
    public Promise<Result<Unit, KvError>> push() {
        if (options.remote().isEmpty()) {
            return Promise.resolved(Result.ok());
        }
        Promise<Result<Unit, KvError>> waiter = Promise.pending();
        pushWaiters.add(waiter);
        tail.onComplete((v, e) -> schedulePush());
        return waiter;
    }

    @Override
    public boolean hasRemote() {
        return options.remote().isPresent();
    }

    /** Whether commits are waiting to reach the remote. */
    @Override
    public boolean unpushed() {
        return pushing || pushAgain || unreachable;
    }

    private void schedulePush() {
        if (closed && pushWaiters.isEmpty()) {
            return;
        }
        if (pushing) {
            pushAgain = true;
            return;
        }
        pushing = true;
        pushAgain = false;
        List<Promise<Result<Unit, KvError>>> waiting = new ArrayList<>(pushWaiters);
        pushWaiters.clear();
        ObjectId pushed = head;
        scheduler.detach(() -> guarded("push to " + options.remote().get(), () -> {
            if (pushed == null) {
                return Result.ok(Boolean.TRUE);
            }
            try (Git git = new Git(repo)) {
                for (PushResult result : git.push().setRemote(options.remote().get()).setTransportConfigCallback(this::configure)
                        .setRefSpecs(new RefSpec(pushed.name() + ":" + branchRef)).setTimeout(30).call()) {
                    for (RemoteRefUpdate u : result.getRemoteUpdates()) {
                        switch (u.getStatus()) {
                            case OK, UP_TO_DATE -> {}
                            case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> {
                                return Result.ok(Boolean.FALSE); // the remote moved: merge, then push again
                            }
                            default -> {
                                return Result.err(new KvError.Storage("the remote refused the push: " + u.getStatus()
                                        + (u.getMessage() == null ? "" : " " + u.getMessage())));
                            }
                        }
                    }
                }
            }
            RefUpdate tracking = repo.updateRef(REMOTE_PREFIX + options.branch());
            tracking.setNewObjectId(pushed);
            tracking.forceUpdate();
            return Result.ok(Boolean.TRUE);
        })).onComplete((r, failure) -> {
            pushing = false;
            Result<Boolean, KvError> outcome = failure != null
                    ? Result.err(new KvError.Storage("push failed: " + failure)) : r;
            switch (outcome) {
                case Result.Ok<Boolean, KvError>(Boolean accepted) when accepted -> {
                    if (unreachable) {
                        log.info("git remote " + options.remote().get() + " reachable again; local commits pushed");
                    }
                    unreachable = false;
                    retry = RETRY_FIRST;
                    if (pushAgain || !Objects.equals(pushed, head)) {
                        pushWaiters.addAll(waiting);
                        schedulePush();
                    } else {
                        waiting.forEach(w -> w.resolve(Result.ok()));
                    }
                }
                case Result.Ok<Boolean, KvError> rejected -> {
                    pushWaiters.addAll(waiting);
                    pull(); // merges, then pushes again
                }
                case Result.Err<Boolean, KvError>(KvError e) -> {
                    if (!unreachable) {
                        log.warn("git push to " + options.remote().get() + " failed, commits stay local and are retried: "
                                + e.describe());
                    }
                    unreachable = true;
                    waiting.forEach(w -> w.resolve(Result.err(e)));
                    if (!closed) {
                        if (retryTimer != null) {
                            retryTimer.cancel();
                        }
                        retryTimer = scheduler.schedule(retry, this::schedulePush);
                        retry = retry.multipliedBy(2).compareTo(RETRY_MOST) > 0 ? RETRY_MOST : retry.multipliedBy(2);
                    }
                }
            }
        });
    }

    /** Waits for what was issued; commits were durable when they answered. A push still in flight is not waited for. */
    @Override
    public Promise<Unit> close() {
        if (closed) {
            return tail;
        }
        closed = true;
        if (timer != null) {
            timer.cancel();
        }
        if (watchTimer != null) {
            watchTimer.cancel();
        }
        if (retryTimer != null) {
            retryTimer.cancel();
        }
        return tail.flatMap(ignored -> scheduler.detach(() -> {
            repo.close();
            return Unit.UNIT;
        }));
    }

    private <T> Promise<Result<T, KvError>> issue(String what, Work<T> work) {
        if (closed) {
            return Promise.resolved(Result.err(new KvError.Closed()));
        }
        Promise<Result<T, KvError>> answer = tail.flatMap(ignored -> scheduler.detach(() -> guarded(what, work)))
                .map(r -> {
                    tellExternalChange();
                    return r;
                });
        tail = answer.map(ignored -> Unit.UNIT).recover(ignored -> Unit.UNIT);
        return answer;
    }

    /** I/O and git failures (a transport error comes wrapped in JGitInternalException) become Storage errors; bugs propagate. */
    private static <T> Result<T, KvError> guarded(String what, Work<T> work) {
        try {
            return work.run();
        } catch (IOException | GitAPIException | JGitInternalException | UncheckedIOException e) {
            return Result.err(new KvError.Storage("cannot " + what + ": " + e.getClass().getSimpleName() + " " + e.getMessage()));
        } catch (IllegalThreadStateException e) {
            // JGit 7.8's TransportGitSsh asks the external ssh process for its exit status when the
            // remote hangs up, and that ssh may not have exited yet (seen in a clean-clone CI run, with
            // a key the server refuses): the remote refused us, not a bug of ours.
            return Result.err(new KvError.Storage("cannot " + what + ": the remote hung up (ssh had not exited yet)"));
        }
    }

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
