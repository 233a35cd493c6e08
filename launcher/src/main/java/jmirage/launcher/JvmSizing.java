package jmirage.launcher;

import java.util.ArrayList;
import java.util.List;
import jmirage.core.Compilation;

/**
 * The JVM options that a unikernel's declarations stand for: {@code -Xmx} of its heap
 * ({@code Unikernel.heapMiB}, decision 12), then its {@link Compilation} (decision 31), and the heap
 * it starts with ({@code Unikernel.initialHeapMiB}). The same for {@code ./unikernel run} (through
 * {@link HeapTable}), the images and the installed runner.
 */
public final class JvmSizing {

    private JvmSizing() {}

    /** {@code -Xmx} of the declared heap, then the compilation's options. */
    public static List<String> options(int heapMiB, Compilation compilation) {
        List<String> options = new ArrayList<>();
        options.add("-Xmx" + heapMiB + "m");
        options.addAll(compilationOptions(compilation));
        return List.copyOf(options);
    }

    /**
     * {@code -Xms} of the heap a unikernel starts with ({@code Unikernel.initialHeapMiB}). The scripts
     * leave it out when the operator's {@code JMIRAGE_JAVA_OPTS} sizes the heap, since their
     * {@code -Xmx} could be below it and the JVM refuses an initial heap above the maximum.
     */
    public static String initialHeapOption(int initialHeapMiB) {
        return "-Xms" + initialHeapMiB + "m";
    }

    /** What a {@link Compilation} stands for; nothing for the JVM's default. */
    public static List<String> compilationOptions(Compilation compilation) {
        return switch (compilation) {
            case TIERED -> List.of();
            case OPTIMIZING_ONLY -> List.of("-XX:-TieredCompilation", "-XX:CICompilerCount=1");
        };
    }
}
