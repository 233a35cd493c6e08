package jmirage.kv.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import jmirage.core.kv.Entry;
import jmirage.core.kv.EntryKind;
import jmirage.core.kv.Key;
import jmirage.kv.BatchRules;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The tree of the branch's head commit, in memory: the blob id of every value and the tree id of
 * every dictionary. Dictionaries are implicit (a key with values under it), as in git. A commit
 * writes new tree objects only for the dictionaries along the changed paths.
 */
final class GitTree implements BatchRules.Store {

    private final TreeMap<Key, ObjectId> values;
    private final Map<Key, ObjectId> trees;

    private GitTree(TreeMap<Key, ObjectId> values, Map<Key, ObjectId> trees) {
        this.values = values;
        this.trees = trees;
    }

    static GitTree empty(ObjectInserter inserter) throws IOException {
        Map<Key, ObjectId> trees = new HashMap<>();
        trees.put(Key.ROOT, inserter.insert(new TreeFormatter()));
        return new GitTree(new TreeMap<>(), trees);
    }

    /** Reads the tree {@code treeId} whole (blob ids and tree ids, never contents). */
    static GitTree read(Repository repo, ObjectId treeId) throws IOException {
        TreeMap<Key, ObjectId> values = new TreeMap<>();
        Map<Key, ObjectId> trees = new HashMap<>();
        trees.put(Key.ROOT, treeId);
        try (TreeWalk walk = new TreeWalk(repo)) {
            walk.addTree(treeId);
            walk.setRecursive(true);
            walk.setPostOrderTraversal(true);
            while (walk.next()) {
                Optional<Key> key = toKey(walk.getPathString());
                if (key.isEmpty()) {
                    continue; // a name no Key can hold (made by someone else): not visible
                }
                if (walk.isSubtree()) {
                    trees.put(key.get(), walk.getObjectId(0));
                } else if ((walk.getRawMode(0) & FileMode.TYPE_MASK) == FileMode.TYPE_FILE) {
                    values.put(key.get(), walk.getObjectId(0));
                }
            }
        }
        // an empty tree someone committed is no dictionary here
        trees.keySet().removeIf(k -> !k.isRoot() && !hasValuesUnder(values, k));
        return new GitTree(values, trees);
    }

    private static Optional<Key> toKey(String path) {
        return Key.parse(path) instanceof jmirage.core.Result.Ok<Key, ?>(Key k) && k.toString().equals(path)
                ? Optional.of(k) : Optional.empty();
    }

    GitTree copy() {
        return new GitTree(new TreeMap<>(values), new HashMap<>(trees));
    }

    TreeMap<Key, ObjectId> values() {
        return values;
    }

    ObjectId rootTree() {
        return trees.get(Key.ROOT);
    }

    ObjectId treeId(Key dictionary) {
        return trees.get(dictionary);
    }

    ObjectId blob(Key key) {
        return values.get(key);
    }

    Optional<EntryKind> kind(Key key) {
        if (values.containsKey(key)) {
            return Optional.of(EntryKind.VALUE);
        }
        return key.isRoot() || hasValuesUnder(values, key) ? Optional.of(EntryKind.DICTIONARY) : Optional.empty();
    }

    List<Entry> children(Key dictionary) {
        List<Entry> children = new ArrayList<>();
        Key k = values.higherKey(dictionary);
        while (k != null && k.startsWith(dictionary)) {
            Key child = new Key(k.segments().subList(0, dictionary.depth() + 1));
            if (child.equals(k)) {
                children.add(new Entry(child, EntryKind.VALUE));
                k = values.higherKey(k);
            } else {
                children.add(new Entry(child, EntryKind.DICTIONARY));
                k = values.ceilingKey(after(child));
            }
        }
        return children;
    }

    @Override
    public boolean isValue(Key key) {
        return values.containsKey(key);
    }

    @Override
    public List<Key> valuesUnder(Key key) {
        return values.tailMap(key, false).keySet().stream().takeWhile(k -> k.startsWith(key)).toList();
    }

    /** Applies one change (already checked by {@link BatchRules}); returns the dictionaries whose trees must be rewritten. */
    void set(Key key, ObjectId blob, TreeSet<Key> dirty) {
        values.put(key, blob);
        markAbove(key, dirty);
    }

    void remove(Key key, TreeSet<Key> dirty) {
        List<Key> gone = new ArrayList<>(valuesUnder(key));
        if (values.containsKey(key)) {
            gone.add(key);
        }
        if (gone.isEmpty()) {
            return;
        }
        for (Key k : gone) {
            values.remove(k);
        }
        trees.keySet().removeIf(k -> k.startsWith(key) && !k.isRoot());
        markAbove(key, dirty);
    }

    private static void markAbove(Key key, TreeSet<Key> dirty) {
        for (Key k = key.parent(); ; k = k.parent()) {
            dirty.add(k);
            if (k.isRoot()) {
                return;
            }
        }
    }

    /** Writes a new tree object for each dirty dictionary, deepest first; dictionaries left empty vanish. */
    void writeTrees(TreeSet<Key> dirty, ObjectInserter inserter) throws IOException {
        List<Key> order = new ArrayList<>(dirty);
        order.sort(Comparator.comparingInt(Key::depth).reversed());
        for (Key d : order) {
            if (!d.isRoot() && !hasValuesUnder(values, d)) {
                trees.remove(d);
                continue;
            }
            List<Object[]> entries = new ArrayList<>();
            for (Entry e : children(d)) {
                byte[] name = e.key().name().getBytes(StandardCharsets.UTF_8);
                boolean tree = e.kind() == EntryKind.DICTIONARY;
                entries.add(new Object[] {name, tree, tree ? trees.get(e.key()) : values.get(e.key())});
            }
            // git orders tree entries by name bytes, a tree's name as if it ended in '/'
            entries.sort((a, b) -> Arrays.compareUnsigned(sortName(a), sortName(b)));
            TreeFormatter formatter = new TreeFormatter();
            for (Object[] e : entries) {
                formatter.append((byte[]) e[0], (boolean) e[1] ? FileMode.TREE : FileMode.REGULAR_FILE, (ObjectId) e[2]);
            }
            trees.put(d, inserter.insert(formatter));
        }
    }

    private static byte[] sortName(Object[] entry) {
        byte[] name = (byte[]) entry[0];
        if (!(boolean) entry[1]) {
            return name;
        }
        byte[] withSlash = Arrays.copyOf(name, name.length + 1);
        withSlash[name.length] = '/';
        return withSlash;
    }

    private static boolean hasValuesUnder(TreeMap<Key, ObjectId> values, Key key) {
        Key next = values.higherKey(key);
        return next != null && next.startsWith(key);
    }

    /** The smallest key after every key under {@code key}: no segment can hold NUL, so {@code name + "\u0001"} follows them all. */
    private static Key after(Key key) {
        return key.parent().child(key.name() + "\u0001");
    }
}
