package jmirage.resolver.rpl;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import jmirage.dns.Name;
import jmirage.dns.Record;

/**
 * The configuration header of a replay file, unbound's {@code unbound.conf} syntax: the
 * {@code server:} options as given (quotes removed, in order), the trust anchors parsed as records,
 * {@code val-override-date} as an instant, and the stub and forward zones with their addresses.
 */
public record RplConfig(Map<String, List<String>> server, List<Record> trustAnchors, Optional<Instant> overrideDate,
        Map<Name, List<InetAddress>> stubZones, Map<Name, List<InetAddress>> forwardZones) {

    public RplConfig {
        server = Collections.unmodifiableMap(new LinkedHashMap<>(server));
        trustAnchors = List.copyOf(trustAnchors);
        stubZones = Collections.unmodifiableMap(new LinkedHashMap<>(stubZones));
        forwardZones = Collections.unmodifiableMap(new LinkedHashMap<>(forwardZones));
    }

    /** The last value of a {@code server:} option, if given. */
    public Optional<String> option(String name) {
        List<String> values = server.getOrDefault(name, List.of());
        return values.isEmpty() ? Optional.empty() : Optional.of(values.getLast());
    }

    /** A yes/no option, or {@code otherwise} when absent. */
    public boolean flag(String name, boolean otherwise) {
        return option(name).map(v -> v.toLowerCase(Locale.ROOT).equals("yes")).orElse(otherwise);
    }

    /** A numeric option, or {@code otherwise} when absent. */
    public long number(String name, long otherwise) {
        return option(name).map(Long::parseLong).orElse(otherwise);
    }
}
