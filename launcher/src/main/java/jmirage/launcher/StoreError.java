package jmirage.launcher;

import java.nio.file.Path;
import java.util.Optional;
import jmirage.core.kv.KvError;

/** Why the store a unikernel claimed cannot be given to it ({@link StoreOpening}); each case names the store. */
public sealed interface StoreError {

    /** No {@code --kv}, and no project folder to put the default store in (the launcher ran without ./unikernel). */
    record NoStoreGiven(String unikernel) implements StoreError {}

    /** An explicit store that is not there, and {@code --kv-init} was not given (or cannot create this kind). */
    record Missing(KvSpec store) implements StoreError {}

    /** Another process holds the store's lock: its pid, start time and unikernel as it wrote them, when readable. */
    record InUse(KvSpec store, Path lockFile, Optional<String> holder) implements StoreError {}

    /** Creating or locking the store failed (permissions, a read-only file system...). */
    record Unusable(KvSpec store, String reason) implements StoreError {}

    /** The backend refused to open it (a damaged image, a repository it cannot read...). */
    record Refused(KvSpec store, KvError error) implements StoreError {}

    default String describe() {
        return switch (this) {
            case NoStoreGiven(String unikernel) -> unikernel + " needs a store: give --kv SPEC (" + KvSpec.FORMS
                    + "); the default, var/" + unikernel + " under the project folder, is only known when started by ./unikernel";
            case Missing(KvSpec store) -> "store " + store.location() + " does not exist; " + switch (store) {
                case KvSpec.BlockFile(Path image) -> "create and format it: truncate -s 64M " + image
                        + " && ./unikernel store format " + image;
                default -> "check the path, or give --kv-init to create it empty";
            };
            case InUse(KvSpec store, Path lockFile, Optional<String> holder) -> "store " + store.location() + " is in use by "
                    + holder.orElse("another process") + " (lock " + lockFile + "); one store serves one process";
            case Unusable(KvSpec store, String reason) -> "store " + store.location() + ": " + reason;
            case Refused(KvSpec store, KvError error) -> "store " + store.location() + ": " + error.describe();
        };
    }
}
