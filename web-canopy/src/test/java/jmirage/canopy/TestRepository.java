package jmirage.canopy;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import jmirage.canopy.content.History;
import jmirage.canopy.content.Snapshot;
import jmirage.core.Bytes;
import jmirage.core.kv.Key;

/** A content repository for tests, written file by file, with each file's git dates. */
public final class TestRepository {

    public static final Instant FIRST_COMMIT = Instant.parse("2026-01-10T09:00:00Z");

    private final Map<Key, Bytes> files = new HashMap<>();
    private final Map<Key, History> history = new HashMap<>();

    /** A repository with the site's settings. */
    public static TestRepository configured() {
        return new TestRepository()
                .file(".config/blog_name", "Mirage notes\n")
                .file(".config/root", "https://blog.example\n")
                .file(".config/uuid", "1b4e28ba-2d11-4a5c-9f52-1f6c2a0b7e3d\n");
    }

    public TestRepository file(String path, String text) {
        return file(path, Bytes.utf8(text), FIRST_COMMIT, FIRST_COMMIT);
    }

    public TestRepository file(String path, String text, Instant created, Instant updated) {
        return file(path, Bytes.utf8(text), created, updated);
    }

    public TestRepository file(String path, Bytes bytes, Instant created, Instant updated) {
        Key key = Key.of(path);
        files.put(key, bytes);
        history.put(key, new History(created, updated));
        return this;
    }

    /** {@code ---}, the header lines given ({@code "title: Hello"}), {@code ---}, then the body. */
    public static String article(String body, String... headerLines) {
        return "---\n" + String.join("\n", headerLines) + (headerLines.length == 0 ? "" : "\n") + "---\n" + body;
    }

    public Snapshot snapshot() {
        return new Snapshot(files, history);
    }
}
