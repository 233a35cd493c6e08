package jmirage.caldav.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import jmirage.caldav.store.Layout;
import jmirage.caldav.store.Shares;
import jmirage.caldav.store.StoreError;
import jmirage.caldav.store.Users;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.tls.Credentials;
import jmirage.tls.SelfSigned;
import jmirage.tls.TlsSetupError;

/**
 * What {@code ./unikernel check caldav} and boot both refuse (decision 6): htpasswd or shares that
 * do not parse, and, when HTTPS is on, a certificate or key in the store that cannot be used.
 * Reads only; a missing htpasswd is no problem (boot makes the first user).
 */
public final class CalDavChecks {

    private CalDavChecks() {}

    public static Promise<List<ConfigProblem>> store(Kv kv, boolean https) {
        return file(kv, Layout.HTPASSWD, b -> Users.parse(b).map(u -> u)).flatMap(users ->
                file(kv, Layout.SHARES, b -> Shares.parse(b).map(s -> s)).flatMap(shares -> tls(kv, https).map(tls -> {
                    List<ConfigProblem> problems = new ArrayList<>();
                    users.ifPresent(problems::add);
                    shares.ifPresent(problems::add);
                    tls.ifPresent(problems::add);
                    return List.copyOf(problems);
                })));
    }

    /** A store error as the operator reads it: the file and the line. */
    public static ConfigProblem problem(StoreError e) {
        return switch (e) {
            case StoreError.BadFile(Key key, int line, String detail) -> new ConfigProblem(key.toString(), line, detail);
            case StoreError.Unreadable(Key key, KvError cause) -> ConfigProblem.of(key.toString(), "cannot read: " + cause.describe());
        };
    }

    private static Promise<Optional<ConfigProblem>> file(Kv kv, Key key, Function<Bytes, Result<?, StoreError>> parse) {
        return kv.get(key).map(r -> switch (r) {
            case Result.Err<Bytes, KvError>(KvError.NotFound nf) -> Optional.<ConfigProblem>empty();
            case Result.Err<Bytes, KvError>(KvError e) -> Optional.of(ConfigProblem.of(key.toString(), "cannot read: " + e.describe()));
            case Result.Ok<Bytes, KvError>(Bytes b) -> switch (parse.apply(b)) {
                case Result.Err<?, StoreError>(StoreError e) -> Optional.of(problem(e));
                case Result.Ok<?, StoreError> ok -> Optional.<ConfigProblem>empty();
            };
        });
    }

    private static Promise<Optional<ConfigProblem>> tls(Kv kv, boolean https) {
        if (!https) {
            return Promise.resolved(Optional.empty());
        }
        return SelfSigned.read(kv).map(r -> switch (r) {
            case Result.Err<Optional<Credentials>, TlsSetupError>(TlsSetupError e) -> Optional.of(ConfigProblem.of(e.key().toString(), e.describe()));
            case Result.Ok<Optional<Credentials>, TlsSetupError> ok -> Optional.<ConfigProblem>empty();
        });
    }
}
