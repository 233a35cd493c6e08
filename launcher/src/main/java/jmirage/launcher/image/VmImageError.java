package jmirage.launcher.image;

import java.nio.file.Path;

/** Why {@link VmImage} could not build an image; each case names what to install or fix. */
public sealed interface VmImageError {

    /** No kernel under /boot with its modules under /lib/modules. */
    record NoKernel(Path boot) implements VmImageError {}

    /** A kernel module the image loads (virtio_pci, virtio_net) is not in the kernel's modules.dep. */
    record NoModule(String kernelVersion, java.util.List<String> modules) implements VmImageError {}

    /** The init's shell and tools: Debian's busybox-static. */
    record NoBusybox(Path expected) implements VmImageError {}

    /** The folder the image is built from is not a dir image (no bin/NAME). */
    record NotADirImage(Path dir, String missing) implements VmImageError {}

    /** A program the build runs (ldd, busybox) failed. */
    record ToolFailed(String command, String output) implements VmImageError {}

    /** A shared library a program of the runtime needs is not on this machine. */
    record MissingLibrary(Path program, String library) implements VmImageError {}

    /** Reading or writing a file failed. */
    record Io(Path path, String reason) implements VmImageError {}

    default String describe() {
        return switch (this) {
            case NoKernel(Path boot) -> "no kernel in " + boot + " with its modules in /lib/modules; apt-get install linux-image-amd64";
            case NoModule(String version, java.util.List<String> modules) -> "kernel " + version + " lacks one of the modules "
                    + modules + " (not in its modules.dep)";
            case NoBusybox(Path expected) -> "no static busybox at " + expected + "; apt-get install busybox-static";
            case NotADirImage(Path dir, String missing) -> dir + " is not a dir image: no " + missing
                    + "; build it with ./unikernel image NAME --format dir";
            case ToolFailed(String command, String output) -> command + " failed: " + output.strip();
            case MissingLibrary(Path program, String library) -> program + " needs " + library + ", which is not on this machine";
            case Io(Path path, String reason) -> path + ": " + reason;
        };
    }
}
