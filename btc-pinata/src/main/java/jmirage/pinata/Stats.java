package jmirage.pinata;

import java.nio.charset.StandardCharsets;
import java.util.SortedMap;
import java.util.TreeMap;
import jmirage.core.Bytes;
import jmirage.core.Result;

/**
 * The live statistics, an immutable value: connections per port, successes per role, failures per
 * role and reason. Stored in the Kv as text, one counter a line:
 * {@code connections 10000 12}, {@code success SERVER 3}, {@code failure SERVER no-certificate 9}.
 */
record Stats(SortedMap<Integer, Long> connections, SortedMap<Role, Long> successes,
        SortedMap<Role, SortedMap<String, Long>> failures) {

    static final Stats EMPTY = new Stats(new TreeMap<>(), new TreeMap<>(), new TreeMap<>());

    /**
     * A cap on distinct failure reasons per role, so the map cannot grow forever. Above the whole
     * vocabulary of {@link Reasons} (about a hundred keys: every alert name sent and received, every
     * path failure, the fixed keys), so an attacker who sends every alert there is cannot push a
     * later real reason into "other" in the statistics kept for years.
     */
    static final int MAX_REASONS = 160;

    Stats {
        connections = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(connections));
        successes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(successes));
        TreeMap<Role, SortedMap<String, Long>> f = new TreeMap<>();
        failures.forEach((role, reasons) -> f.put(role, java.util.Collections.unmodifiableSortedMap(new TreeMap<>(reasons))));
        failures = java.util.Collections.unmodifiableSortedMap(f);
    }

    Stats connection(int port) {
        TreeMap<Integer, Long> c = new TreeMap<>(connections);
        c.merge(port, 1L, Long::sum);
        return new Stats(c, successes, failures);
    }

    Stats success(Role role) {
        TreeMap<Role, Long> s = new TreeMap<>(successes);
        s.merge(role, 1L, Long::sum);
        return new Stats(connections, s, failures);
    }

    Stats failure(Role role, String reason) {
        TreeMap<Role, SortedMap<String, Long>> f = new TreeMap<>(failures);
        TreeMap<String, Long> r = new TreeMap<>(f.getOrDefault(role, new TreeMap<>()));
        String key = r.containsKey(reason) || r.size() < MAX_REASONS ? reason : "other";
        r.merge(key, 1L, Long::sum);
        f.put(role, r);
        return new Stats(connections, successes, f);
    }

    long successes(Role role) {
        return successes.getOrDefault(role, 0L);
    }

    long failures(Role role, String reason) {
        return failures.getOrDefault(role, new TreeMap<>()).getOrDefault(reason, 0L);
    }

    long failures(Role role) {
        return failures.getOrDefault(role, new TreeMap<>()).values().stream().mapToLong(Long::longValue).sum();
    }

    long connections(int port) {
        return connections.getOrDefault(port, 0L);
    }

    Bytes encode() {
        StringBuilder b = new StringBuilder();
        connections.forEach((port, n) -> b.append("connections ").append(port).append(' ').append(n).append('\n'));
        successes.forEach((role, n) -> b.append("success ").append(role).append(' ').append(n).append('\n'));
        failures.forEach((role, reasons) -> reasons.forEach((reason, n) ->
                b.append("failure ").append(role).append(' ').append(reason).append(' ').append(n).append('\n')));
        return Bytes.utf8(b.toString());
    }

    /** The stored form back; any line that does not parse makes the whole value an error (with the line). */
    static Result<Stats, StatsError> decode(Bytes stored) {
        TreeMap<Integer, Long> c = new TreeMap<>();
        TreeMap<Role, Long> ok = new TreeMap<>();
        TreeMap<Role, SortedMap<String, Long>> f = new TreeMap<>();
        String text = new String(stored.toArray(), StandardCharsets.UTF_8);
        int lineNumber = 0;
        for (String line : text.split("\n")) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            String[] w = line.trim().split(" ");
            try {
                switch (w[0]) {
                    case "connections" -> {
                        require(w.length == 3);
                        int port = Integer.parseInt(w[1]);
                        require(port >= 0 && port <= 65535);
                        c.put(port, count(w[2]));
                    }
                    case "success" -> {
                        require(w.length == 3);
                        ok.put(Role.valueOf(w[1]), count(w[2]));
                    }
                    case "failure" -> {
                        require(w.length == 4 && !w[2].isEmpty());
                        TreeMap<String, Long> r = new TreeMap<>(f.getOrDefault(Role.valueOf(w[1]), new TreeMap<>()));
                        r.put(w[2], count(w[3]));
                        f.put(Role.valueOf(w[1]), r);
                    }
                    default -> throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                return Result.err(new StatsError.UnparsableLine(lineNumber, truncate(line)));
            }
        }
        return Result.ok(new Stats(c, ok, f));
    }

    private static long count(String text) {
        long n = Long.parseLong(text);
        require(n >= 0);
        return n;
    }

    private static void require(boolean condition) {
        if (!condition) {
            throw new IllegalArgumentException();
        }
    }

    private static String truncate(String line) {
        return line.length() > 80 ? line.substring(0, 80) + "..." : line;
    }
}
