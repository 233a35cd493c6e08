package jmirage.launcher;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Result;
import jmirage.core.kv.StoreClaim;

/**
 * The repeatable {@code --store NAME=SPEC} (decision 19): named stores beside {@code --kv}, SPEC
 * in {@link KvSpec}'s grammar, each opened, locked and closed as the main store is
 * ({@link StoreOpening}) when the unikernel claims it.
 */
final class NamedStores {

    private NamedStores() {}

    /** The stores by name, in the order given, each absolute; or the first thing wrong with them. */
    static Result<Map<String, KvSpec>, NamedStoreError> parse(List<String> given) {
        Map<String, KvSpec> stores = new LinkedHashMap<>();
        for (String entry : given) {
            int equals = entry.indexOf('=');
            String name = equals < 0 ? "" : entry.substring(0, equals);
            if (!StoreClaim.isName(name)) {
                return Result.err(new NamedStoreError.NotNameAndSpec(entry));
            }
            if (stores.containsKey(name)) {
                return Result.err(new NamedStoreError.Repeated(name));
            }
            switch (KvSpec.parse(entry.substring(equals + 1))) {
                case Result.Ok<KvSpec, KvSpecError>(KvSpec spec) -> stores.put(name, spec.absolute());
                case Result.Err<KvSpec, KvSpecError>(KvSpecError e) -> {
                    return Result.err(new NamedStoreError.BadSpec(name, e));
                }
            }
        }
        return Result.ok(stores);
    }

    /** The stores, already checked by {@link BootCommandLine}. */
    static Map<String, KvSpec> checked(List<String> given) {
        return parse(given).orElseThrow(e -> new IllegalArgumentException("a bug: --store is checked while parsing: " + e.describe()));
    }

    /**
     * The rules that need more than the text: each name is one the unikernel claims ({@code claimed},
     * from {@link DeviceProbe}; empty when the probe could not tell, and then any name passes), and no
     * store is also the main one ({@code main}, when known) or another named one.
     */
    static Optional<NamedStoreError> mismatch(Map<String, KvSpec> stores, String unikernel, Optional<List<StoreClaim>> claimed,
                                              Optional<KvSpec> main) {
        List<String> names = claimed.map(c -> c.stream().map(StoreClaim::name).toList()).orElse(List.of());
        Map<Path, String> users = new LinkedHashMap<>();
        main.flatMap(KvSpec::lockFile).ifPresent(lock -> users.put(lock, "--kv"));
        for (Map.Entry<String, KvSpec> store : stores.entrySet()) {
            String name = store.getKey();
            if (claimed.isPresent() && !names.contains(name)) {
                return Optional.of(new NamedStoreError.NotClaimed(name, unikernel, names));
            }
            Optional<Path> lock = store.getValue().lockFile();
            if (lock.isPresent() && users.containsKey(lock.get())) {
                return Optional.of(new NamedStoreError.SameStore(name, users.get(lock.get()), store.getValue().location()));
            }
            lock.ifPresent(l -> users.put(l, "--store " + name));
        }
        return Optional.empty();
    }
}
