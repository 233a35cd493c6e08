package jmirage.launcher;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import jmirage.core.Unikernel;
import jmirage.launcher.image.DirImage;

/**
 * Every unikernel on the class path, by name, in the order {@code ./unikernel list} shows them.
 *
 * <p>Found at run time, not linked: each module that provides unikernels names them in its
 * {@code META-INF/services/jmirage.core.Unikernel} ({@link ServiceLoader}). So the launcher's classes
 * refer to none of them, and an image (decision 15) holds the jars of its own unikernel only;
 * {@code ./unikernel} has them all on its class path. Sorted by name: the class path's order is a
 * folder's (the script's {@code lib/*}), which no one chose.
 *
 * <p>An image names its one unikernel's class instead ({@link DirImage#UNIKERNEL_CLASS}, decision 23):
 * the {@code ServiceLoader} would open every jar of the class path to look for its provider files,
 * about a millisecond a jar at every boot.
 */
final class Catalog {

    static final List<Unikernel<?, ?>> ALL = load();

    private Catalog() {}

    static Optional<Unikernel<?, ?>> find(String name) {
        return ALL.stream().filter(u -> u.name().equals(name)).findFirst();
    }

    private static List<Unikernel<?, ?>> load() {
        String named = System.getProperty(DirImage.UNIKERNEL_CLASS);
        if (named != null) {
            return List.of(named(named));
        }
        List<Unikernel<?, ?>> found = new ArrayList<>();
        ServiceLoader.load(Unikernel.class).forEach(found::add);
        found.sort(Comparator.comparing(Unikernel::name));
        for (int i = 1; i < found.size(); i++) {
            if (found.get(i).name().equals(found.get(i - 1).name())) {
                // Two jars claiming one name (an old jar left in lib/): a packaging bug, not an operator's mistake.
                throw new IllegalStateException("two unikernels on the class path are named " + found.get(i).name() + ": "
                        + found.get(i - 1).getClass().getName() + " and " + found.get(i).getClass().getName());
            }
        }
        return List.copyOf(found);
    }

    /** The unikernel of class {@code className}, made as the {@code ServiceLoader} makes a provider. */
    static Unikernel<?, ?> named(String className) {
        try {
            return Class.forName(className).asSubclass(Unikernel.class).getConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            // The image's own launch script names it: a packaging bug, not an operator's mistake.
            throw new IllegalStateException("-D" + DirImage.UNIKERNEL_CLASS + "=" + className + " names no unikernel on the class path: " + e, e);
        }
    }
}
