package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jmirage.core.Unikernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The heap each unikernel declares (decision 12) and the table {@code ./unikernel} reads it from. */
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
        List<String> expected = Catalog.ALL.stream().map(u -> u.name() + "=" + u.heapMiB()).toList();
        assertEquals(expected, lines);
    }
}
