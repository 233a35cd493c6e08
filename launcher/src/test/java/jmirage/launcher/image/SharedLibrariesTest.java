package jmirage.launcher.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SharedLibrariesTest {

    @Test
    void aLineOfLddNamesTheLibraryPathTheLoaderFound() {
        assertEquals(Optional.of(Path.of("/lib/x86_64-linux-gnu/libz.so.1")),
                SharedLibraries.resolved("\tlibz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x00007fcaaaa1d000)"));
        assertEquals(Optional.of(Path.of("/lib64/ld-linux-x86-64.so.2")),
                SharedLibraries.resolved("\t/lib64/ld-linux-x86-64.so.2 (0x00007fcaaaa56000)"));
    }

    @Test
    void theVdsoAndAMissingLibraryNameNoFile() {
        assertEquals(Optional.empty(), SharedLibraries.resolved("\tlinux-vdso.so.1 (0x00007fcaaaa54000)"));
        assertEquals(Optional.empty(), SharedLibraries.resolved("\tlibjvm.so => not found"));
        assertEquals(Optional.of("libjvm.so"), SharedLibraries.notFound("\tlibjvm.so => not found"));
        assertEquals(Optional.empty(), SharedLibraries.notFound("\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x1)"));
    }
}
