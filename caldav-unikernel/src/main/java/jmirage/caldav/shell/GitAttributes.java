package jmirage.caldav.shell;

import java.util.List;
import jmirage.caldav.store.Layout;
import jmirage.core.Bytes;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.kv.KeepBothAttributes;

/**
 * The rule that a git merge conflict keeps both versions of an event (decision 8): the git store
 * reads it from {@link Layout#GIT_ATTRIBUTES} at merge time, so a store synchronised with a remote
 * needs that file. Boot writes it when it is missing (a new store, or one made before the rule
 * existed: one commit, logged) and warns when a person's own file leaves events out of it.
 */
public final class GitAttributes {

    private GitAttributes() {}

    public static Promise<Result<Unit, KvError>> ensure(Kv kv, Log log) {
        return kv.get(Layout.GIT_ATTRIBUTES).flatMap(r -> switch (r) {
            case Result.Ok<Bytes, KvError>(Bytes file) -> {
                if (!keepsBoth(file)) {
                    log.warn("'" + Layout.GIT_ATTRIBUTES + "' does not mark *.ics '" + KeepBothAttributes.ATTRIBUTE
                            + "': on a git merge conflict the remote's version of an event wins and ours is only in the history");
                }
                yield Promise.resolved(Result.<Unit, KvError>ok(Unit.UNIT));
            }
            case Result.Err<Bytes, KvError>(KvError.NotFound nf) ->
                    kv.commit(new Batch("caldav", "caldav: " + Layout.GIT_ATTRIBUTES + ": keep both versions of an event on a merge conflict",
                            List.of(new Change.Set(Layout.GIT_ATTRIBUTES, Layout.GIT_ATTRIBUTES_CONTENT)))).map(c -> {
                                if (c.isOk()) {
                                    log.info("wrote '" + Layout.GIT_ATTRIBUTES + "' (*.ics " + KeepBothAttributes.ATTRIBUTE
                                            + "): a git merge conflict on an event keeps both versions");
                                }
                                return c;
                            });
            case Result.Err<Bytes, KvError>(KvError e) -> Promise.resolved(Result.<Unit, KvError>err(e));
        });
    }

    /** Whether {@code file} makes an event of any calendar keep both versions. */
    static boolean keepsBoth(Bytes file) {
        return KeepBothAttributes.<String>parse(file, id -> id).keepAt(Layout.resource("user", "calendar", "event.ics"), "00000000")
                .isPresent();
    }
}
