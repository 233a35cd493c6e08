package jmirage.launcher.image;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What an image is built from: the unikernel's name, the project folder ({@code jmirage.home}, where
 * {@code launcher/target} holds the built jars and {@code target/images} receives the images), the
 * JDK the launcher runs on (its {@code jlink}, {@code jdeps}), the IPv4 address a training run may
 * bind (its unikernel's default ports on it) and where progress lines go.
 */
public record ImageRequest(String unikernel, Path root, Path javaHome, String trainingAddress, PrintWriter progress) {

    public ImageRequest {
        Objects.requireNonNull(unikernel);
        root = root.toAbsolutePath().normalize();
        javaHome = javaHome.toAbsolutePath().normalize();
        Objects.requireNonNull(trainingAddress);
        Objects.requireNonNull(progress);
    }

    /** {@code target/images/NAME/FORMAT/} under the project folder. */
    public Path output(String format) {
        return root.resolve("target").resolve("images").resolve(unikernel).resolve(format);
    }

    /** The launcher's jar: its {@code Main} boots every unikernel of the build. */
    public Path launcherJar() {
        return root.resolve("launcher").resolve("target").resolve("launcher.jar");
    }

    /** The launcher's dependencies, as Maven copied them beside it. */
    public Path launcherLib() {
        return root.resolve("launcher").resolve("target").resolve("lib");
    }

    /** A tool of the JDK the launcher runs on: {@code jlink}, {@code jdeps}, {@code java}. */
    public Path jdkTool(String name) {
        return javaHome.resolve("bin").resolve(name);
    }
}
