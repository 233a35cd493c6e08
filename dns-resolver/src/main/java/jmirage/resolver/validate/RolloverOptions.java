package jmirage.resolver.validate;

import java.util.List;
import java.util.Optional;
import jmirage.core.Result;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Key;
import jmirage.core.kv.KeyError;
import jmirage.core.params.Option;

/** The boot parameter of RFC 5011 rollover, for the unikernel's Parameters to include with {@code @Mixin}. */
public final class RolloverOptions {

    @Option(names = "--auto-trust-anchor", paramLabel = "KEY",
            description = "Keep the trust anchors up to date by RFC 5011 in this file of the store (read at boot, "
                    + "written when a key changes state); an empty value turns the updates off. Default: ${DEFAULT-VALUE}.")
    public String stateKey = "auto-trust-anchor";

    /** The state file's key, empty when the updates are off; a value that cannot be a key is a problem. */
    public Result<Optional<Key>, List<ConfigProblem>> key() {
        if (stateKey.isEmpty()) {
            return Result.ok(Optional.empty());
        }
        return switch (Key.parse(stateKey)) {
            case Result.Ok<Key, KeyError>(Key k) when !k.isRoot() -> Result.ok(Optional.of(k));
            case Result.Ok<Key, KeyError> root -> Result.err(List.of(ConfigProblem.of("--auto-trust-anchor",
                    "names no file: '" + stateKey + "'")));
            case Result.Err<Key, KeyError>(KeyError e) -> Result.err(List.of(ConfigProblem.of("--auto-trust-anchor", e.describe())));
        };
    }
}
