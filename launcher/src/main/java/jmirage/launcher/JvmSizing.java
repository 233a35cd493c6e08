package jmirage.launcher;

import java.util.ArrayList;
import java.util.List;
import jmirage.core.Compilation;

/**
 * The JVM options that a unikernel's declarations stand for: {@code -Xmx} of its heap
 * ({@code Unikernel.heapMiB}, decision 12), then its {@link Compilation} (decision 31). The same for
 * {@code ./unikernel run} (through {@link HeapTable}), the images and the installed runner.
 */
public final class JvmSizing {

    private JvmSizing() {}

    public static List<String> options(int heapMiB, Compilation compilation) {
        List<String> options = new ArrayList<>();
        options.add("-Xmx" + heapMiB + "m");
        options.addAll(compilationOptions(compilation));
        return List.copyOf(options);
    }

    /** What a {@link Compilation} stands for; nothing for the JVM's default. */
    public static List<String> compilationOptions(Compilation compilation) {
        return switch (compilation) {
            case TIERED -> List.of();
            case OPTIMIZING_ONLY -> List.of("-XX:-TieredCompilation", "-XX:CICompilerCount=1");
        };
    }
}
