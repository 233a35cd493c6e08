package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import jmirage.core.Compilation;
import jmirage.core.Unikernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The heap and compilation each unikernel declares (decisions 12, 31) and the table {@code ./unikernel}
 * reads them from.
 */
class HeapTableTest {

    @Test
    void everyUnikernelDeclaresAHeapTheJvmCanBootIn() {
        // The JVM with our launcher and Netty does not reach the first accept in less than 8 MiB of
        // heap; more than 1 GiB is not "tens of megabytes" (issue 18).
        for (Unikernel<?, ?> u : Catalog.ALL) {
            assertTrue(u.heapMiB() >= 8 && u.heapMiB() <= 1024, u.name() + " declares " + u.heapMiB() + " MiB");
        }
    }

    @Test
    void theTableNamesEveryUnikernelOnceWithItsDeclaredHeap(@TempDir Path dir) throws Exception {
        HeapTable.main(new String[] {dir.toString()});
        List<String> lines = Files.readAllLines(dir.resolve(HeapTable.FILE_NAME)).stream()
                .filter(l -> !l.startsWith("#"))
                .toList();
        List<String> expected = Catalog.ALL.stream()
                .flatMap(u -> Stream.concat(
                        Stream.of(u.name() + "=" + u.heapMiB(), u.name() + ".initial=" + u.initialHeapMiB()),
                        u.compilation() == Compilation.TIERED ? Stream.<String>of()
                                : Stream.of(u.name() + ".jit=" + String.join(" ", JvmSizing.compilationOptions(u.compilation())))))
                .toList();
        assertEquals(expected, lines);
    }

    @Test
    void everyUnikernelStartsWithAHeapBetweenEightMiBAndItsDeclaredOne() {
        for (Unikernel<?, ?> u : Catalog.ALL) {
            assertTrue(u.initialHeapMiB() >= 8 && u.initialHeapMiB() <= u.heapMiB(),
                    u.name() + " starts at " + u.initialHeapMiB() + " MiB of " + u.heapMiB());
        }
        assertEquals("-Xms16m", JvmSizing.initialHeapOption(16));
    }

    @Test
    void aCompilationOtherThanTheDefaultStandsForTheJvmsOptions() {
        assertEquals(List.of("-Xmx16m"), JvmSizing.options(16, Compilation.TIERED));
        assertEquals(List.of("-Xmx16m", "-XX:-TieredCompilation", "-XX:CICompilerCount=1"),
                JvmSizing.options(16, Compilation.OPTIMIZING_ONLY));
    }

    @Test
    void theScriptPassesTheDeclaredCompilation() throws Exception {
        // The firewall declares C2 alone (decision 31); what ./unikernel reads for it.
        Unikernel<?, ?> firewall = Catalog.ALL.stream().filter(u -> u.name().equals("qubes-firewall")).findFirst().orElseThrow();
        assertEquals(Compilation.OPTIMIZING_ONLY, firewall.compilation());
        assertTrue(HeapTable.render(List.of(firewall)).contains("\nqubes-firewall.jit=-XX:-TieredCompilation -XX:CICompilerCount=1\n"));
    }
}
