package jmirage.launcher;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import jmirage.core.Unikernel;

/**
 * Every unikernel on the class path, by name, in the order {@code ./unikernel list} shows them.
 *
 * <p>Found at run time, not linked: each module that provides unikernels names them in its
 * {@code META-INF/services/jmirage.core.Unikernel} ({@link ServiceLoader}). So the launcher's classes
 * refer to none of them, and an image (decision 15) holds the jars of its own unikernel only;
 * {@code ./unikernel} has them all on its class path. Sorted by name: the class path's order is a
 * folder's (the script's {@code lib/*}), which no one chose.
 */
final class Catalog {

    static final List<Unikernel<?, ?>> ALL = load();

    private Catalog() {}

    static Optional<Unikernel<?, ?>> find(String name) {
        return ALL.stream().filter(u -> u.name().equals(name)).findFirst();
    }

    private static List<Unikernel<?, ?>> load() {
        List<Unikernel<?, ?>> found = ServiceLoader.load(Unikernel.class).stream()
                .<Unikernel<?, ?>>map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparing(Unikernel::name))
                .toList();
        List<String> twice = found.stream().collect(Collectors.groupingBy(Unikernel::name, Collectors.counting()))
                .entrySet().stream().filter(e -> e.getValue() > 1).map(e -> e.getKey()).sorted().toList();
        if (!twice.isEmpty()) {
            // Two jars of one build claiming a name: a packaging bug, not an operator's mistake.
            throw new IllegalStateException("two unikernels on the class path are named " + twice);
        }
        return found;
    }
}
