package jmirage.launcher;

import jmirage.kv.MemKv;
import jmirage.kv.block.BlockKv;
import jmirage.kv.dir.DirKv;
import jmirage.kv.git.GitKv;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.host.ConsoleLog;
import jmirage.host.FileBlock;
import jmirage.host.OpenError;

/** Which store a unikernel gets, from the {@code --kv} boot parameter. */
public sealed interface KvSpec {

    /** The forms {@link #parse} accepts, for error messages and {@code --help}. */
    String FORMS = "mem | dir:PATH | git:PATH[#branch][?remote=URL[&key=SSH-KEY]] | block:FILE";

    /** Sector size of a {@code block:FILE} image. */
    int BLOCK_SECTOR_SIZE = 512;

    // Each kind of store says where it is, whether it exists, its lock and how it opens by methods
    // of its own rather than pattern switches over this: the launcher opens the store at every boot,
    // and each pattern switch generates a class at its first run (decision 23).

    /** {@code mem}: in memory, empty at boot. */
    record Mem() implements KvSpec {
        @Override
        public KvSpec absolute() {
            return this;
        }

        @Override
        public String location() {
            return "mem";
        }

        @Override
        public boolean exists() {
            return true;
        }

        @Override
        public Optional<Path> lockFile() {
            return Optional.empty();
        }

        @Override
        public Promise<Result<Kv, KvError>> openReadOnly(Clock clock, Scheduler scheduler) {
            return open(clock, scheduler);
        }

        @Override
        public Promise<Result<Kv, KvError>> open(Clock clock, Scheduler scheduler, Log log) {
            return Promise.resolved(Result.ok(new MemKv(clock)));
        }
    }

    /** {@code dir:PATH}: one file per key under the folder {@code PATH}. */
    record Dir(Path root) implements KvSpec {
        @Override
        public KvSpec absolute() {
            return new Dir(root.toAbsolutePath().normalize());
        }

        @Override
        public String location() {
            return "dir:" + root;
        }

        @Override
        public boolean exists() {
            return Files.isDirectory(root);
        }

        /** The dir backend's own names start with {@code .kv-} and are never keys. */
        @Override
        public Optional<Path> lockFile() {
            return Optional.of(root.resolve(".kv-lock"));
        }

        @Override
        public Promise<Result<Kv, KvError>> openReadOnly(Clock clock, Scheduler scheduler) {
            return DirKv.openReadOnly(root, scheduler).map(r -> r.map(kv -> kv));
        }

        @Override
        public Promise<Result<Kv, KvError>> open(Clock clock, Scheduler scheduler, Log log) {
            return DirKv.open(root, scheduler).map(r -> r.map(kv -> kv));
        }
    }

    /**
     * {@code git:PATH[#branch][?remote=URL[&key=FILE]]}: a bare git repository, each batch a commit,
     * optionally pushed to a remote; an ssh:// remote authenticates with the key file.
     */
    record Git(Path path, String branch, Optional<String> remote, Optional<Path> sshKey) implements KvSpec {
        public Git(Path path, String branch, Optional<String> remote) {
            this(path, branch, remote, Optional.empty());
        }

        @Override
        public KvSpec absolute() {
            return new Git(path.toAbsolutePath().normalize(), branch, remote, sshKey);
        }

        /** A URL's user information, which may hold a password, is left out. */
        @Override
        public String location() {
            return "git:" + path + "#" + branch + remote.map(url -> ", remote " + url.replaceFirst("//[^/@]*@", "//")).orElse("");
        }

        @Override
        public boolean exists() {
            return Files.exists(path.resolve("HEAD")) || Files.exists(path.resolve(".git"));
        }

        /** In the git directory, which git ignores. */
        @Override
        public Optional<Path> lockFile() {
            return Optional.of((Files.isDirectory(path.resolve(".git")) ? path.resolve(".git") : path).resolve("jmirage.lock"));
        }

        @Override
        public Promise<Result<Kv, KvError>> openReadOnly(Clock clock, Scheduler scheduler) {
            return new Git(path, branch, Optional.empty()).open(clock, scheduler);
        }

        @Override
        public Promise<Result<Kv, KvError>> open(Clock clock, Scheduler scheduler, Log log) {
            return GitKv.open(new GitKv.Options(path, branch, remote, Duration.ofMinutes(1), sshKey), scheduler, clock, log)
                    .map(r -> r.map(kv -> kv));
        }
    }

    /** {@code block:FILE}: the block format on a file image (format it with {@code unikernel store format}). */
    record BlockFile(Path image) implements KvSpec {
        @Override
        public KvSpec absolute() {
            return new BlockFile(image.toAbsolutePath().normalize());
        }

        @Override
        public String location() {
            return "block:" + image;
        }

        @Override
        public boolean exists() {
            return Files.exists(image) && !Files.isDirectory(image);
        }

        @Override
        public Optional<Path> lockFile() {
            return Optional.of(image.resolveSibling(image.getFileName() + ".lock"));
        }

        @Override
        public Promise<Result<Kv, KvError>> openReadOnly(Clock clock, Scheduler scheduler) {
            return mount(image, true, clock, scheduler);
        }

        @Override
        public Promise<Result<Kv, KvError>> open(Clock clock, Scheduler scheduler, Log log) {
            return mount(image, false, clock, scheduler);
        }
    }

    /**
     * Parses a {@code --kv} spec as a URI (RFC 3986 3): the scheme ({@code mem}, {@code dir},
     * {@code git}, {@code block}), the path, and for {@code git} a fragment (the branch) and a query
     * ({@code remote=URL}, {@code key=FILE}, separated by {@code &}). The path, the branch and each
     * query value are percent-decoded (RFC 3986 2.1), so a remote URL holding {@code &} or {@code #}
     * writes them {@code %26} and {@code %23}, and a literal {@code %} is {@code %25}; a {@code ?}
     * inside the query needs no escape (RFC 3986 3.4) and spaces may be written as they are. The
     * fragment may come before the query ({@code git:PATH#branch?remote=URL}, this project's own
     * order) or after it ({@code git:PATH?remote=URL#branch}, the URI order): a branch name never
     * holds {@code ?}.
     */
    static Result<KvSpec, KvSpecError> parse(String text) {
        int colon = text.indexOf(':');
        String scheme = colon < 0 ? text : text.substring(0, colon);
        String rest = colon < 0 ? "" : text.substring(colon + 1);
        return switch (scheme) {
            case "mem" -> colon < 0 ? Result.ok(new Mem()) : Result.err(new KvSpecError.UnknownForm(text));
            case "dir", "block" -> {
                if (colon < 0) {
                    yield Result.err(new KvSpecError.UnknownForm(text));
                }
                int extra = firstOf(rest, '?', '#');
                if (extra >= 0) {
                    yield Result.err(new KvSpecError.NoOptions(text, scheme, rest.charAt(extra)));
                }
                Result<Path, KvSpecError> path = path(text, scheme, rest);
                yield scheme.equals("dir") ? path.map(Dir::new) : path.map(BlockFile::new);
            }
            case "git" -> colon < 0 ? Result.err(new KvSpecError.UnknownForm(text)) : git(text, rest);
            default -> Result.err(new KvSpecError.UnknownForm(text));
        };
    }

    private static Result<KvSpec, KvSpecError> git(String text, String rest) {
        int hash = rest.indexOf('#');
        int question = rest.indexOf('?');
        String path;
        String fragment = null;
        String query = null;
        if (hash >= 0 && (question < 0 || hash < question)) { // PATH#branch[?query]: the query runs to the end
            path = rest.substring(0, hash);
            int q = rest.indexOf('?', hash);
            fragment = q < 0 ? rest.substring(hash + 1) : rest.substring(hash + 1, q);
            query = q < 0 ? null : rest.substring(q + 1);
        } else if (question >= 0) { // PATH?query[#branch]: RFC 3986 3.5, the fragment starts at the first # after ?
            path = rest.substring(0, question);
            int h = rest.indexOf('#', question);
            query = h < 0 ? rest.substring(question + 1) : rest.substring(question + 1, h);
            fragment = h < 0 ? null : rest.substring(h + 1);
        } else {
            path = rest;
        }
        String branch = "main";
        if (fragment != null) {
            Result<String, KvSpecError> decoded = decode(text, fragment);
            if (!(decoded instanceof Result.Ok<String, KvSpecError>(String b))) {
                return Result.err(((Result.Err<String, KvSpecError>) decoded).error());
            }
            if (b.isEmpty() || !org.eclipse.jgit.lib.Repository.isValidRefName("refs/heads/" + b)) {
                return Result.err(new KvSpecError.BadBranch(text, b));
            }
            branch = b;
        }
        Optional<String> remote = Optional.empty();
        Optional<Path> key = Optional.empty();
        if (query != null) {
            for (String option : query.split("&", -1)) {
                int eq = option.indexOf('=');
                String name = eq < 0 ? option : option.substring(0, eq);
                Result<String, KvSpecError> value = decode(text, eq < 0 ? "" : option.substring(eq + 1));
                if (!(value instanceof Result.Ok<String, KvSpecError>(String v))) {
                    return Result.err(((Result.Err<String, KvSpecError>) value).error());
                }
                switch (name) {
                    case "remote" -> {
                        if (remote.isPresent()) {
                            return Result.err(new KvSpecError.RepeatedOption(text, name));
                        }
                        if (v.isEmpty()) {
                            return Result.err(new KvSpecError.MissingValue(text, name));
                        }
                        remote = Optional.of(v);
                    }
                    case "key" -> {
                        if (key.isPresent()) {
                            return Result.err(new KvSpecError.RepeatedOption(text, name));
                        }
                        if (v.isEmpty()) {
                            return Result.err(new KvSpecError.MissingValue(text, name));
                        }
                        try {
                            key = Optional.of(Path.of(v));
                        } catch (InvalidPathException e) {
                            return Result.err(new KvSpecError.BadPath(text, v, e.getReason()));
                        }
                    }
                    default -> {
                        return Result.err(new KvSpecError.UnknownOption(text, name));
                    }
                }
            }
            if (key.isPresent() && remote.isEmpty()) {
                return Result.err(new KvSpecError.KeyWithoutRemote(text));
            }
        }
        String b = branch;
        Optional<String> r = remote;
        Optional<Path> k = key;
        return path(text, "git", path).map(p -> new Git(p, b, r, k));
    }

    private static Result<Path, KvSpecError> path(String text, String scheme, String raw) {
        return decode(text, raw).flatMap(path -> {
            if (path.isEmpty()) {
                return Result.err(new KvSpecError.MissingPath(text, scheme));
            }
            try {
                return Result.ok(Path.of(path));
            } catch (InvalidPathException e) {
                return Result.err(new KvSpecError.BadPath(text, path, e.getReason()));
            }
        });
    }

    /** RFC 3986 2.1: {@code %HH} is the octet HH; the octets are UTF-8. Nothing else changes ({@code +} stays). */
    private static Result<String, KvSpecError> decode(String text, String part) {
        if (part.indexOf('%') < 0) {
            return Result.ok(part);
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < part.length(); ) {
            char c = part.charAt(i);
            if (c == '%') {
                int high = i + 2 < part.length() ? Character.digit(part.charAt(i + 1), 16) : -1;
                int low = high >= 0 ? Character.digit(part.charAt(i + 2), 16) : -1;
                if (low < 0) {
                    return Result.err(new KvSpecError.BadEscape(text, part.substring(i, Math.min(i + 3, part.length()))));
                }
                bytes.write(high * 16 + low);
                i += 3;
            } else {
                int cp = part.codePointAt(i);
                bytes.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
            }
        }
        java.nio.charset.CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
        try {
            return Result.ok(utf8.decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString());
        } catch (java.nio.charset.CharacterCodingException e) {
            return Result.err(new KvSpecError.BadEscape(text, part));
        }
    }

    private static int firstOf(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    /**
     * The same store with its path made absolute (against the current folder) and normalised, so
     * that the boot log and an error name the place an operator can go and look.
     */
    KvSpec absolute();

    /**
     * Where the store is, as an operator reads it in a log: {@code dir:/abs/path},
     * {@code git:/abs/path#branch} (with {@code , remote URL} when it has one; a URL's user
     * information, which may hold a password, is left out), {@code block:/abs/file}, {@code mem}.
     */
    String location();

    /** Whether the store is there: a folder, a git repository, an image file or device; {@code mem} always is. */
    boolean exists();

    /**
     * The file whose lock says who uses the store ({@link StoreLock}): {@code .kv-lock} in a dir
     * store, {@code jmirage.lock} in a git repository's git directory, {@code FILE.lock} beside a
     * block image. {@code mem} has none.
     */
    Optional<Path> lockFile();

    /**
     * Opens the store to read it beside the service that writes it ({@code ./unikernel check}):
     * nothing is created or changed. A dir store is opened read-only ({@link DirKv#openReadOnly}:
     * no journal replayed, no temporary file removed), a git store without its remote, a block
     * image read-only (mounting only reads).
     */
    Promise<Result<Kv, KvError>> openReadOnly(Clock clock, Scheduler scheduler);

    /** Builds the store, logging (the git backend's merges and pushes) to the console. */
    default Promise<Result<Kv, KvError>> open(Clock clock, Scheduler scheduler) {
        return open(clock, scheduler, ConsoleLog.create("kv", LogLevel.INFO, clock));
    }

    /**
     * Builds the store: for {@code dir}, creates the folder or recovers it after a crash; for
     * {@code git}, opens or creates the repository and fetches the remote; for {@code block}, mounts
     * the image (recovering from a crash). Opening a file blocks: call at boot.
     */
    Promise<Result<Kv, KvError>> open(Clock clock, Scheduler scheduler, Log log);

    private static Promise<Result<Kv, KvError>> mount(Path image, boolean readOnly, Clock clock, Scheduler scheduler) {
        Result<FileBlock, OpenError> opened = FileBlock.open(image, BLOCK_SECTOR_SIZE, readOnly, scheduler);
        if (opened instanceof Result.Err<FileBlock, OpenError>(OpenError e)) {
            return Promise.resolved(Result.err(new KvError.Storage("block device " + e.describe())));
        }
        return BlockKv.open(opened.orElseThrow(), clock).map(r -> r.map(kv -> kv));
    }
}
