package jmirage.kv.dir;

import jmirage.kv.BatchRules;
import jmirage.kv.Digests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jmirage.core.Bytes;
import jmirage.core.kv.Change;
import jmirage.core.kv.Entry;
import jmirage.core.kv.EntryKind;
import jmirage.core.kv.Key;

/**
 * The dir backend's blocking file work: key {@code a/b/c} is the file {@code root/a/b/c}, a
 * dictionary is a folder. Every method may block; {@link DirKv} runs them off the loop, one at a
 * time. Names starting with {@code .kv-} at the root are the backend's own and never keys.
 */
final class DirStore implements BatchRules.Store {

    static final String RESERVED_PREFIX = ".kv-";
    /** The write-ahead journal of the batch in progress. */
    static final String JOURNAL = ".kv-journal";

    private final Path root;
    private final Path journal;
    private final Path journalTmp;
    private final Path tmp;

    DirStore(Path root) {
        this.root = root;
        this.journal = root.resolve(JOURNAL);
        this.journalTmp = root.resolve(".kv-journal.tmp");
        this.tmp = root.resolve(".kv-tmp");
    }

    Path root() {
        return root;
    }

    /** Whether a committed batch's journal is on disk: a commit in progress, or one a crash cut off. */
    boolean batchInJournal() {
        return Files.exists(journal);
    }

    static boolean isReserved(Key key) {
        return !key.isRoot() && key.segments().getFirst().startsWith(RESERVED_PREFIX);
    }

    Path path(Key key) {
        Path p = root;
        for (String segment : key.segments()) {
            p = p.resolve(segment);
        }
        return p;
    }

    /** Links are followed, so an operator may link a file in; anything else is not a key. */
    Optional<EntryKind> kind(Key key) {
        Path p = path(key);
        if (Files.isRegularFile(p)) {
            return Optional.of(EntryKind.VALUE);
        }
        return Files.isDirectory(p) ? Optional.of(EntryKind.DICTIONARY) : Optional.empty();
    }

    Bytes read(Key key) throws IOException {
        return Bytes.adopt(Files.readAllBytes(path(key)));
    }

    /** The children of a folder, sorted by name, the backend's own names left out. */
    List<Entry> children(Key key) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> folder = Files.newDirectoryStream(path(key))) {
            for (Path p : folder) {
                String name = p.getFileName().toString();
                if (key.isRoot() && name.startsWith(RESERVED_PREFIX)) {
                    continue;
                }
                Key child = key.child(name);
                kind(child).ifPresent(kind -> entries.add(new Entry(child, kind)));
            }
        }
        entries.sort(Comparator.comparing(Entry::key));
        return entries;
    }

    Bytes digest(Key key) throws IOException {
        if (kind(key).orElseThrow() == EntryKind.VALUE) {
            MessageDigest md = Digests.sha256();
            try (InputStream in = Files.newInputStream(path(key))) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    md.update(buffer, 0, n);
                }
            }
            return Bytes.adopt(md.digest());
        }
        List<Digests.Child> children = new ArrayList<>();
        for (Entry e : children(key)) {
            children.add(new Digests.Child(e.key().name(), e.kind(), digest(e.key())));
        }
        return Digests.ofDictionary(children);
    }

    /** A folder changes when an entry is added or removed, so its own time counts with its subtree's. */
    Instant lastModified(Key key) throws IOException {
        Instant newest = Files.getLastModifiedTime(path(key)).toInstant();
        if (kind(key).orElseThrow() == EntryKind.DICTIONARY) {
            for (Entry e : children(key)) {
                Instant child = lastModified(e.key());
                newest = child.isAfter(newest) ? child : newest;
            }
        }
        return newest;
    }

    @Override
    public boolean isValue(Key key) {
        return kind(key).equals(Optional.of(EntryKind.VALUE));
    }

    @Override
    public List<Key> valuesUnder(Key key) {
        List<Key> values = new ArrayList<>();
        try {
            if (kind(key).equals(Optional.of(EntryKind.DICTIONARY))) {
                for (Entry e : children(key)) {
                    if (e.kind() == EntryKind.VALUE) {
                        values.add(e.key());
                    } else {
                        values.addAll(valuesUnder(e.key()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }

    /**
     * Commits {@code changes}: the journal is durable before the first file is touched, and is
     * deleted only once every change is durable. A crash in between is redone by {@link #recover}.
     */
    void commit(List<Change> changes) throws IOException {
        if (changes.size() == 1 && changes.getFirst() instanceof Change.Set(Key key, Bytes value) && replacesInPlace(key)) {
            // One value over a value or nothing, in folders that exist: its rename(2) is the whole
            // change and is atomic, so the journal (three more fsyncs) would add nothing.
            Set<Path> touched = new LinkedHashSet<>();
            set(key, value, tmp.resolve("0"), touched);
            for (Path folder : touched) {
                fsyncFolder(folder);
            }
            return;
        }
        try (FileChannel out = FileChannel.open(journalTmp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(Journal.encode(changes));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(true);
        }
        Files.move(journalTmp, journal, StandardCopyOption.ATOMIC_MOVE);
        fsyncFolder(root); // the commit point: from here the batch happens, crash or not
        redo(changes);
        Files.delete(journal);
        fsyncFolder(root);
    }

    /** Whether {@code key}'s folders all exist as folders and the key names no folder: a set there only renames. */
    private boolean replacesInPlace(Key key) {
        Path folder = root;
        for (String segment : key.parent().segments()) {
            folder = folder.resolve(segment);
            if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
        }
        return !Files.isDirectory(folder.resolve(key.name()), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Brings the folder back to a committed state after a crash: a durable journal is redone, an
     * unfinished one (the tmp file, or one that fails its checksum) means its batch never
     * committed, and half-written values are dropped.
     */
    void recover() throws IOException {
        Files.createDirectories(root);
        if (Files.isDirectory(tmp)) {
            try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(tmp)) {
                for (Path p : leftovers) {
                    deleteTree(p);
                }
            }
        } else {
            Files.createDirectory(tmp);
        }
        Files.deleteIfExists(journalTmp);
        if (Files.exists(journal)) {
            Optional<List<Change>> committed = Journal.decode(Files.readAllBytes(journal));
            if (committed.isPresent()) {
                redo(committed.get());
            }
            Files.delete(journal);
        }
        fsyncFolder(root);
    }

    /**
     * Applies each change whatever the folder holds, so that applying a batch again over any
     * prefix of itself (a crash mid-way) ends in the same state: a set replaces a value found
     * where a folder is needed and a folder found where its value goes. A first application was
     * checked by {@link BatchRules}, so there it replaces nothing it should not.
     */
    private void redo(List<Change> changes) throws IOException {
        Set<Path> touched = new LinkedHashSet<>();
        for (int i = 0; i < changes.size(); i++) {
            switch (changes.get(i)) {
                case Change.Set(Key key, Bytes value) -> set(key, value, tmp.resolve(Integer.toString(i)), touched);
                case Change.Remove(Key key) -> remove(key, touched);
            }
        }
        for (Path folder : touched) {
            if (Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                fsyncFolder(folder);
            }
        }
    }

    private void set(Key key, Bytes value, Path staging, Set<Path> touched) throws IOException {
        Path folder = root;
        for (String segment : key.parent().segments()) {
            folder = folder.resolve(segment);
            if (!Files.isDirectory(folder)) {
                Files.deleteIfExists(folder);
                Files.createDirectory(folder);
                touched.add(folder.getParent());
            }
        }
        Path target = folder.resolve(key.name());
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            deleteTree(target);
        }
        try (FileChannel out = FileChannel.open(staging, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = value.asReadOnlyBuffer();
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(true);
        }
        // rename(2) replaces the old value atomically: a reader sees the old or the new, never half
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        touched.add(folder);
    }

    /** Removes the key and every folder it leaves empty, as git does: dictionaries are implicit. */
    private void remove(Key key, Set<Path> touched) throws IOException {
        if (key.isRoot()) {
            for (Entry e : children(Key.ROOT)) {
                deleteTree(path(e.key()));
            }
            touched.add(root);
            return;
        }
        Path target = path(key);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            deleteTree(target);
            touched.add(target.getParent());
        }
        // pruned even when the key was already gone: a crash may have come between the two
        for (Key above = key.parent(); !above.isRoot(); above = above.parent()) {
            Path folder = path(above);
            if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            if (!isEmptyFolder(folder)) {
                break;
            }
            Files.delete(folder);
            touched.add(folder.getParent());
        }
    }

    private static boolean isEmptyFolder(Path p) throws IOException {
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(p)) {
            return !entries.iterator().hasNext();
        }
    }

    /** Deletes a file, a link (not what it points to) or a folder with everything in it. */
    private static void deleteTree(Path p) throws IOException {
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path folder, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(folder);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** A rename or delete is durable only once its folder is synced (fsync(2) on the directory). */
    private static void fsyncFolder(Path folder) throws IOException {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
