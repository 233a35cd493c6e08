package jmirage.acme;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;

/** A {@link Dns01} that keeps the TXT values in memory, logs each call, and can be told to fail, hang or publish a wrong value. */
final class RecordingDns01 implements Dns01 {

    final List<String> calls = new ArrayList<>();
    boolean failPublish;
    boolean corrupt;      // publishes a value that is not the one asked for
    boolean hang;         // never answers a publish
    private final Map<String, List<String>> txt = new HashMap<>();

    List<String> values(String identifier) {
        return List.copyOf(txt.getOrDefault(identifier, List.of()));
    }

    boolean empty() {
        return txt.values().stream().allMatch(List::isEmpty);
    }

    @Override
    public Promise<Result<Unit, String>> publish(String identifier, String value) {
        calls.add("publish " + identifier);
        if (hang) {
            return Promise.pending();
        }
        if (failPublish) {
            return Promise.resolved(Result.err("zone refused the update (test)"));
        }
        txt.computeIfAbsent(identifier, k -> new ArrayList<>()).add(corrupt ? "wrong-" + value : value);
        return Promise.resolved(Result.ok());
    }

    @Override
    public Promise<Result<Unit, String>> remove(String identifier, String value) {
        calls.add("remove " + identifier);
        txt.getOrDefault(identifier, new ArrayList<>()).remove(corrupt ? "wrong-" + value : value);
        return Promise.resolved(Result.ok());
    }
}
