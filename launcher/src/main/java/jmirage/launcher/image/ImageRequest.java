package jmirage.launcher.image;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Objects;
import jmirage.core.Compilation;

/**
 * What an image is built from: the unikernel's name, the heap it declares ({@code Unikernel.heapMiB},
 * decision 12: the image boots with {@code -Xmx} of it), the heap it starts with ({@code
 * Unikernel.initialHeapMiB}: {@code -Xms} unless the operator sizes the heap) and its compilation ({@code
 * Unikernel.compilation}, decision 31), its class (whose jar the image holds, with
 * what that jar needs: decision 15), the project folder ({@code jmirage.home}, where
 * {@code launcher/target} holds the built jars and {@code target/images} receives the images), the
 * JDK the launcher runs on (its {@code jlink}, {@code jdeps}), the IPv4 address a training run may
 * bind (its unikernel's default ports on it) and where progress lines go.
 */
public record ImageRequest(String unikernel, int heapMiB, int initialHeapMiB, Compilation compilation, String provider, Path root, Path javaHome, String trainingAddress,
        PrintWriter progress) {

    public ImageRequest {
        Objects.requireNonNull(unikernel);
        Objects.requireNonNull(compilation);
        Objects.requireNonNull(provider);
        root = root.toAbsolutePath().normalize();
        javaHome = javaHome.toAbsolutePath().normalize();
        Objects.requireNonNull(trainingAddress);
        Objects.requireNonNull(progress);
    }

    /** {@code target/images/NAME/FORMAT/} under the project folder. */
    public Path output(String format) {
        return root.resolve("target").resolve("images").resolve(unikernel).resolve(format);
    }

    /** The launcher's jar: its {@code Main} boots every unikernel it finds on its class path. */
    public Path launcherJar() {
        return root.resolve("launcher").resolve("target").resolve("launcher.jar");
    }

    /** A tool of the JDK the launcher runs on: {@code jlink}, {@code jdeps}, {@code java}. */
    public Path jdkTool(String name) {
        return javaHome.resolve("bin").resolve(name);
    }
}
