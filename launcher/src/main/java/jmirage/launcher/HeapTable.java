package jmirage.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jmirage.core.Unikernel;

/**
 * The heap each unikernel declares ({@link Unikernel#heapMiB()}, decision 12) and its compilation
 * ({@link Unikernel#compilation()}, decision 31), as a file the {@code ./unikernel} script reads
 * before it starts the JVM: {@code launcher/target/heap.properties}, one {@code NAME=MiB} line per
 * unikernel in the catalogue's order, then {@code NAME.initial=MiB}, the heap it starts with
 * ({@link Unikernel#initialHeapMiB()}), then {@code NAME.jit=OPTIONS} when its compilation is not
 * the JVM's default ({@link JvmSizing#compilationOptions}); no timestamp (the build stays
 * reproducible). The script writes it with this class's {@code main} when it is missing or older than
 * {@code launcher.jar} (once per build, so {@code run} pays nothing for it); the images read
 * {@code heapMiB()} directly.
 */
final class HeapTable {

    static final String FILE_NAME = "heap.properties";

    private HeapTable() {}

    /** {@code HeapTable DIR}: writes DIR/heap.properties. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: HeapTable OUTPUT-DIRECTORY");
        }
        Path file = Path.of(args[0]).resolve(FILE_NAME);
        Files.writeString(file, render(Catalog.ALL), StandardCharsets.UTF_8);
    }

    static String render(List<Unikernel<?, ?>> unikernels) {
        StringBuilder text = new StringBuilder(
                "# The Java heap (-Xmx, MiB) each unikernel declares (Unikernel.heapMiB), the heap it starts with\n"
                + "# (NAME.initial, -Xms, MiB) and the JVM options of its compilation when not the default (NAME.jit,\n"
                + "# Unikernel.compilation), for ./unikernel.\n");
        for (Unikernel<?, ?> u : unikernels) {
            text.append(u.name()).append('=').append(u.heapMiB()).append('\n');
            text.append(u.name()).append(".initial=").append(u.initialHeapMiB()).append('\n');
            List<String> jit = JvmSizing.compilationOptions(u.compilation());
            if (!jit.isEmpty()) {
                text.append(u.name()).append(".jit=").append(String.join(" ", jit)).append('\n');
            }
        }
        return text.toString();
    }

}
