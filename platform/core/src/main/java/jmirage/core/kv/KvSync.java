package jmirage.core.kv;

import jmirage.core.Cancellable;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;

/**
 * A capability of some {@link Kv} stores: synchronisation with a remote copy (a git store with a
 * remote, for CalDAV, Canopy, the zones of the authoritative server). A unikernel claims it with
 * {@link jmirage.core.DeviceProvider#kvSync()}, which is empty when the store the operator chose has
 * no such thing; a unikernel that cannot work without it refuses to boot at claim time.
 *
 * <p>Every promise settles on the unikernel's loop, as the Kv's own do.
 */
public interface KvSync {

    /**
     * Fetches the remote and merges what it has into the store (on a conflict on one key the remote's
     * version wins and ours stays in history, as platform/kv/README.md says). Resolves once the merged content is
     * what {@link Kv#get} returns; listeners of {@link #onExternalChange} have then been told.
     */
    Promise<Result<Unit, KvError>> pull();

    /** Sends the store's commits that the remote does not have yet. */
    Promise<Result<Unit, KvError>> push();

    /**
     * Whether the store has a remote at all: a git store without one offers this capability too (it
     * notices commits pushed into it), and its pull and push do nothing. What is committed to a store
     * with a remote is pushed there: a unikernel keeps no secret in it (decision 19).
     */
    boolean hasRemote();

    /** Whether the store holds commits that the remote does not have yet. */
    boolean unpushed();

    /**
     * Calls {@code listener} on the loop each time the store's content changed by something other
     * than this unikernel's own {@link Kv#commit}: a pull that brought commits, a push into the
     * store's repository by another program. The listener reads the new content through the Kv.
     */
    Cancellable onExternalChange(Runnable listener);
}
