package jmirage.core.net;

import java.util.ArrayList;
import java.util.List;
import jmirage.core.Promise;
import jmirage.core.Result;

/**
 * The listeners a service opens at boot, all or none: when one cannot be opened, those that were
 * are closed again and every failure is reported, so a service never serves on half its ports.
 */
public final class Listening {

    /** A listener being opened, named as the operator asked for it ({@code --https-port 8443}). */
    public record Opening(String what, Promise<Result<TcpListener, NetError>> listen) {}

    private Listening() {}

    /** Every listener, in order; else each failure as "cannot listen on WHAT: REASON", joined by "; ". */
    public static Promise<Result<List<TcpListener>, String>> all(List<Opening> openings) {
        return Promise.all(openings.stream().map(Opening::listen).toList()).flatMap(results -> {
            List<TcpListener> opened = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                switch (results.get(i)) {
                    case Result.Ok<TcpListener, NetError>(TcpListener l) -> opened.add(l);
                    case Result.Err<TcpListener, NetError>(NetError e) ->
                            failures.add("cannot listen on " + openings.get(i).what() + ": " + e.describe());
                }
            }
            if (failures.isEmpty()) {
                return Promise.resolved(Result.ok(List.copyOf(opened)));
            }
            return Promise.all(opened.stream().map(TcpListener::close).toList())
                    .map(closed -> Result.<List<TcpListener>, String>err(String.join("; ", failures)));
        });
    }
}
