package jmirage.core.kv;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Result;

/**
 * A key in a {@link Kv}: a path of segments, written {@code a/b/c}. The root (no segments) names the
 * whole store. A segment is never empty, never {@code .} or {@code ..}, holds no {@code /} and no
 * NUL, and is at most 255 bytes of UTF-8, so every backend can store it as a file or tree name.
 */
public record Key(List<String> segments) implements Comparable<Key> {

    public static final Key ROOT = new Key(List.of());
    public static final int MAX_SEGMENT_BYTES = 255;

    public Key {
        segments = List.copyOf(segments);
        for (String s : segments) {
            segmentProblem(s).ifPresent(problem -> {
                throw new IllegalArgumentException(problem.describe());
            });
        }
    }

    /** Parses {@code a/b/c}; leading, trailing and doubled slashes are tolerated, as in mirage-kv. */
    public static Result<Key, KeyError> parse(String path) {
        List<String> segments = new ArrayList<>();
        for (String s : path.split("/", -1)) {
            if (s.isEmpty()) {
                continue;
            }
            Optional<KeyError> problem = segmentProblem(s);
            if (problem.isPresent()) {
                return Result.err(problem.get());
            }
            segments.add(s);
        }
        return Result.ok(new Key(segments));
    }

    /** A key from a path known to be valid (a constant in code); a bug otherwise. */
    public static Key of(String path) {
        return parse(path).orElseThrow();
    }

    /** Why {@code segment} cannot be a key segment, or empty if it can. */
    public static Optional<KeyError> segmentProblem(String segment) {
        if (segment.isEmpty()) {
            return Optional.of(new KeyError.EmptySegment());
        }
        if (segment.equals(".") || segment.equals("..")) {
            return Optional.of(new KeyError.DotSegment(segment));
        }
        if (segment.indexOf('/') >= 0 || segment.indexOf('\0') >= 0) {
            return Optional.of(new KeyError.ForbiddenCharacter(segment));
        }
        if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
            return Optional.of(new KeyError.TooLong(segment));
        }
        return Optional.empty();
    }

    public boolean isRoot() {
        return segments.isEmpty();
    }

    public Key child(String segment) {
        List<String> s = new ArrayList<>(segments);
        s.add(segment);
        return new Key(s);
    }

    /** The key one level up; the root's parent is the root. */
    public Key parent() {
        return isRoot() ? this : new Key(segments.subList(0, segments.size() - 1));
    }

    /** The last segment; the root's name is the empty string. */
    public String name() {
        return isRoot() ? "" : segments.getLast();
    }

    /** Whether {@code prefix} is this key or one of its ancestors. */
    public boolean startsWith(Key prefix) {
        return prefix.segments.size() <= segments.size()
                && segments.subList(0, prefix.segments.size()).equals(prefix.segments);
    }

    public int depth() {
        return segments.size();
    }

    /** Segment by segment, each segment in String order (UTF-16 units): a parent sorts before its children. */
    @Override
    public int compareTo(Key other) {
        int n = Math.min(segments.size(), other.segments.size());
        for (int i = 0; i < n; i++) {
            int c = segments.get(i).compareTo(other.segments.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(segments.size(), other.segments.size());
    }

    @Override
    public String toString() {
        return String.join("/", segments);
    }
}
