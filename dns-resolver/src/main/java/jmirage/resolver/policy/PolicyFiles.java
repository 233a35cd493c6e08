package jmirage.resolver.policy;

import java.util.List;
import java.util.Objects;

/**
 * The texts a {@link Policy} is built from, each with the Kv key it was read from (the name errors
 * give), in the order the boot parameters named them. {@code updateKeys}: the TSIG keys files whose
 * {@code NAME._update.ZONE} keys may change the local zones under ZONE by RFC 2136 UPDATE.
 */
public record PolicyFiles(List<File> blocklists, List<File> rpz, List<File> localZones, List<File> localHosts,
        List<File> updateKeys) {

    public static final PolicyFiles NONE = new PolicyFiles(List.of(), List.of(), List.of(), List.of(), List.of());

    /** Files without update keys: the local zones take no dynamic updates. */
    public PolicyFiles(List<File> blocklists, List<File> rpz, List<File> localZones, List<File> localHosts) {
        this(blocklists, rpz, localZones, localHosts, List.of());
    }

    public record File(String key, String text) {
        public File {
            Objects.requireNonNull(key);
            Objects.requireNonNull(text);
        }
    }

    public PolicyFiles {
        blocklists = List.copyOf(blocklists);
        rpz = List.copyOf(rpz);
        localZones = List.copyOf(localZones);
        localHosts = List.copyOf(localHosts);
        updateKeys = List.copyOf(updateKeys);
    }
}
