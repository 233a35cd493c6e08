package jmirage.launcher.image;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedSet;
import java.util.TreeMap;

/**
 * A kernel's {@code modules.dep}: for each module file, the module files it needs loaded first.
 * Gives the order in which to {@code insmod} a few modules and everything they depend on, as
 * {@code modprobe} would (the last dependency listed first).
 */
public record KernelModules(Map<String, List<String>> dependencies) {

    public KernelModules {
        dependencies = Map.copyOf(dependencies);
    }

    /** Parses {@code modules.dep}: lines {@code kernel/drivers/net/virtio_net.ko: kernel/.../failover.ko ...}. */
    public static KernelModules parse(String modulesDep) {
        Map<String, List<String>> deps = new TreeMap<>();
        for (String line : modulesDep.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String rest = line.substring(colon + 1).strip();
            deps.put(line.substring(0, colon), rest.isEmpty() ? List.of() : List.of(rest.split("\\s+")));
        }
        return new KernelModules(deps);
    }

    /** The module file of a module name ({@code virtio_net} is {@code kernel/drivers/net/virtio_net.ko}, maybe compressed). */
    public Optional<String> file(String moduleName) {
        return dependencies.keySet().stream()
                .filter(path -> baseName(path).equals(moduleName) || baseName(path).equals(moduleName.replace('_', '-')))
                .findFirst();
    }

    /** The module files to load, each after those it needs, each once; empty when a name is unknown. */
    public Optional<List<String>> loadOrder(List<String> moduleNames) {
        SequencedSet<String> order = new LinkedHashSet<>();
        for (String name : moduleNames) {
            Optional<String> file = file(name);
            if (file.isEmpty()) {
                return Optional.empty();
            }
            // modules.dep already lists the whole closure, the deepest last: load from the end, then the module itself.
            List<String> needed = new ArrayList<>(dependencies.get(file.get()));
            for (String dependency : needed.reversed()) {
                order.add(dependency);
            }
            order.add(file.get());
        }
        return Optional.of(List.copyOf(order));
    }

    private static String baseName(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int ko = name.indexOf(".ko");
        return ko < 0 ? name : name.substring(0, ko);
    }
}
